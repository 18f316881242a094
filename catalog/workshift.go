package catalog

// workShiftType is a service performer's work shift; its periodic triggers
// send the user a summary of their coming plans.
func workShiftType() EventType {
	return EventType{
		Name:    "work_shift",
		LabelSV: "Arbetspass",
		LabelEN: "Work shift",
		Triggers: []Trigger{
			trigger("started", "Startat", "Started"),
			trigger("ended", "Avslutat", "Ended"),
			timer("not_started", "Ej startat", "Not started"),
			timer("reminder", "Påminnelse före planerad start", "Reminder before the planned start"),
			summary("weekly", "Veckoschema", "Weekly schedule"),
			summary("monthly", "Månadsschema", "Monthly schedule"),
			summary("dates", "Schema på valda datum", "Schedule on chosen dates"),
		},
		Variables: concat(commonVars("work_shift", "not_started"), workShiftVars(), userVars(), planVars()),
		Tokens:    allTokens(),
	}
}

// workShiftVars describes the work shift.
func workShiftVars() []Variable {
	return []Variable{
		group("work_shift", "Arbetspass", "Work shift"),
		v("work_shift.id", TypeString, "Arbetspassets id", "Work shift id", "ws-5521"),
		v("work_shift.planned_start", TypeTime, "Planerad start", "Planned start", "2026-11-24T06:00:00+01:00"),
		v("work_shift.planned_end", TypeTime, "Planerat slut", "Planned end", "2026-11-24T14:30:00+01:00"),
		v("work_shift.actual_start", TypeTime, "Faktisk start", "Actual start", "2026-11-24T06:18:00+01:00"),
		v("work_shift.actual_end", TypeTime, "Faktiskt slut", "Actual end", "2026-11-24T14:35:00+01:00"),
		v("work_shift.delay_minutes", TypeNumber, "Försening (minuter)", "Delay (minutes)", 18),
		v("work_shift.comment", TypeString, "Kommentar", "Comment", "Försenad pendeltåg från Märsta."),
	}
}

// userVars describes the user the work shift belongs to.
func userVars() []Variable {
	return []Variable{
		group("user", "Användare", "User"),
		v("user.id", TypeString, "Användarens id", "User id", "user-17"),
		v("user.name", TypeString, "Användarens namn", "User name", "Ahmed Hassan"),
	}
}

// planVars describes the plans of a schedule summary (weekly, monthly,
// dates), in start order.
func planVars() []Variable {
	return []Variable{
		v("plans", TypeList, "Planerade pass", "Planned shifts", []any{
			plan("Kontorsstädning vecka 49", "2026-11-30T06:00:00+01:00", "2026-11-30T10:00:00+01:00",
				"Kontorshuset Sveavägen 44", "Sveavägen 44, 111 34 Stockholm"),
			plan("Trappstädning", "2026-12-01T08:00:00+01:00", "2026-12-01T11:30:00+01:00",
				"Brf Vasastaden 12", "Upplandsgatan 12, 113 23 Stockholm"),
			plan("Storstädning kök", "2026-12-03T13:00:00+01:00", "2026-12-03T16:00:00+01:00",
				"Restaurang Söder", "Götgatan 78, 118 30 Stockholm"),
		}),
		v("plans.name", TypeString, "Passets namn", "Shift name", "Kontorsstädning vecka 49"),
		v("plans.starts_at", TypeTime, "Börjar", "Starts at", "2026-11-30T06:00:00+01:00"),
		v("plans.ends_at", TypeTime, "Slutar", "Ends at", "2026-11-30T10:00:00+01:00"),
		v("plans.place", TypeString, "Plats", "Place", "Kontorshuset Sveavägen 44"),
		v("plans.address", TypeString, "Adress", "Address", "Sveavägen 44, 111 34 Stockholm"),
	}
}

// plan builds one sample plan.
func plan(name, starts, ends, place, address string) map[string]any {
	return map[string]any{
		"name": name, "starts_at": starts, "ends_at": ends, "place": place, "address": address,
	}
}
