package catalog

// activityType is an activity reported during an order visit.
func activityType() EventType {
	return EventType{
		Name:    "activity",
		LabelSV: "Aktivitet",
		LabelEN: "Activity",
		Triggers: []Trigger{
			trigger("reported", "Rapporterad", "Reported"),
			timer("not_reported", "Ej rapporterad när besöket avslutas", "Not reported when the visit ends"),
		},
		Variables: concat(commonVars("activity", "reported"), activityVars(), orderRefVars()),
		Tokens:    allTokens(),
	}
}

// activityVars describes the activity.
func activityVars() []Variable {
	return []Variable{
		group("activity", "Aktivitet", "Activity"),
		v("activity.id", TypeString, "Aktivitetens id", "Activity id", "act-30211"),
		v("activity.name", TypeString, "Aktivitet", "Activity", "Fönsterputs entré"),
		v("activity.status", TypeString, "Status", "Status", "Ej utförd"),
		v("activity.reported_at", TypeTime, "Rapporterad", "Reported at", "2026-11-24T09:41:00+01:00"),
		v("activity.comment", TypeString, "Kommentar", "Comment", "Stege saknades, utförs nästa besök."),
	}
}
