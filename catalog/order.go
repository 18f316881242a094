package catalog

// orderType is an order visit: a planned delivery at a customer's place.
func orderType() EventType {
	return EventType{
		Name:    "order",
		LabelSV: "Order",
		LabelEN: "Order",
		Triggers: []Trigger{
			timer("reminder", "Påminnelse före planerad start", "Reminder before the planned start"),
			trigger("started", "Startad", "Started"),
			trigger("completed", "Utförd", "Completed"),
			timer("not_started", "Ej startad", "Not started"),
			timer("not_performed", "Ej utförd inom tidsfönstret", "Not performed within its window"),
			trigger("approved", "Godkänd", "Approved"),
			trigger("rejected", "Underkänd", "Rejected"),
		},
		Variables: concat(commonVars("order", "completed"), orderVars(), activityListVars()),
		Tokens:    allTokens(),
	}
}

// orderVars describes the order visit: the short reference and the rest.
func orderVars() []Variable {
	return append(orderRefVars(),
		v("order.planned_start", TypeTime, "Planerad start", "Planned start", "2026-11-24T07:00:00+01:00"),
		v("order.planned_end", TypeTime, "Planerat slut", "Planned end", "2026-11-24T10:00:00+01:00"),
		v("order.earliest_start", TypeTime, "Tidigaste start", "Earliest start", "2026-11-24T06:30:00+01:00"),
		v("order.latest_start", TypeTime, "Senaste start", "Latest start", "2026-11-24T09:00:00+01:00"),
		v("order.actual_start", TypeTime, "Faktisk start", "Actual start", "2026-11-24T07:05:00+01:00"),
		v("order.actual_end", TypeTime, "Faktiskt slut", "Actual end", "2026-11-24T09:48:00+01:00"),
		v("order.instruction", TypeString, "Instruktion", "Instruction",
			"Nyckel hämtas i receptionen. Larmet kvitteras med tagg vid entrén."),
		v("order.comment", TypeString, "Kommentar", "Comment",
			"Allt utfört enligt plan. Papperskorgen i konferensrum 3 är trasig."),
	)
}

// orderRefVars is the short order reference that activities and deviations
// carry: the visit they were reported on.
func orderRefVars() []Variable {
	return []Variable{
		group("order", "Order", "Order"),
		v("order.id", TypeString, "Orderns id", "Order id", "ord-88123"),
		v("order.name", TypeString, "Ordernamn", "Order name", "Kontorsstädning vecka 48"),
		v("order.number", TypeString, "Ordernummer", "Order number", "2026-04711"),
	}
}

// activityListVars describes the activities of an order visit.
func activityListVars() []Variable {
	return []Variable{
		v("order.activities", TypeList, "Aktiviteter", "Activities", []any{
			map[string]any{"name": "Dammsugning kontorsytor", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Rengöring av toaletter", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Fönsterputs entré", "status": "Ej utförd", "comment": "Stege saknades"},
		}),
		v("order.activities.name", TypeString, "Aktivitet", "Activity", "Dammsugning kontorsytor"),
		v("order.activities.status", TypeString, "Status", "Status", "Utförd"),
		v("order.activities.comment", TypeString, "Kommentar", "Comment", ""),
	}
}
