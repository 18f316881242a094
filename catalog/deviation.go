package catalog

// deviationType is a problem reported in the field.
func deviationType() EventType {
	return EventType{
		Name:    "deviation",
		LabelSV: "Avvikelse",
		LabelEN: "Deviation",
		Triggers: []Trigger{
			trigger("reported", "Rapporterad", "Reported"),
			trigger("resolved", "Åtgärdad", "Resolved"),
		},
		Variables: concat(commonVars("deviation", "reported"), deviationVars(), orderRefVars()),
		Tokens:    allTokens(),
	}
}

// deviationVars describes the deviation.
func deviationVars() []Variable {
	return []Variable{
		group("deviation", "Avvikelse", "Deviation"),
		v("deviation.id", TypeString, "Avvikelsens id", "Deviation id", "dev-4410"),
		v("deviation.title", TypeString, "Rubrik", "Title", "Vattenläcka under diskbänk"),
		v("deviation.description", TypeString, "Beskrivning", "Description",
			"Droppande rör under diskbänken i personalköket, plan 3. Hink utställd."),
		v("deviation.category", TypeString, "Kategori", "Category", "Fastighet"),
		v("deviation.reported_at", TypeTime, "Rapporterad", "Reported at", "2026-11-24T08:12:00+01:00"),
		v("deviation.reported_by", TypeString, "Rapporterad av", "Reported by", "Elin Johansson"),
		v("deviation.resolved_at", TypeTime, "Åtgärdad", "Resolved at", "2026-11-25T13:30:00+01:00"),
		v("deviation.resolution", TypeString, "Åtgärd", "Resolution", "Fastighetsskötaren har bytt packningen."),
	}
}
