package catalog

// Both inspection types render their subject under the one name "inspection"
// so that a template author learns one vocabulary; they differ only in
// whether the scores are per room or per unit.

// roomInspectionType is a room-based quality inspection.
func roomInspectionType() EventType {
	return inspectionType("room_inspection", "Lokalbaserad kvalitetskontroll", "Room-based quality inspection",
		roomVars())
}

// unitInspectionType is a unit-based quality inspection.
func unitInspectionType() EventType {
	return inspectionType("unit_inspection", "Enhetsbaserad kvalitetskontroll", "Unit-based quality inspection",
		unitVars())
}

// inspectionType builds an inspection event type around its score list.
func inspectionType(name, sv, en string, scores []Variable) EventType {
	return EventType{
		Name:    name,
		LabelSV: sv,
		LabelEN: en,
		Triggers: []Trigger{
			trigger("completed", "Genomförd", "Completed"),
			trigger("failed", "Underkänd (under godkäntgränsen)", "Failed (below the pass limit)"),
			timer("reminder", "Påminnelse före planerad kontroll", "Reminder before the planned inspection"),
			timer("not_performed", "Ej genomförd", "Not performed"),
		},
		Variables: concat(commonVars(name, "failed"), inspectionVars(), scores),
		Tokens:    allTokens(),
	}
}

// inspectionVars describes the inspection itself.
func inspectionVars() []Variable {
	return []Variable{
		group("inspection", "Kvalitetskontroll", "Quality inspection"),
		v("inspection.id", TypeString, "Kontrollens id", "Inspection id", "insp-902"),
		v("inspection.name", TypeString, "Kontroll", "Inspection", "Kvalitetskontroll november"),
		v("inspection.planned_at", TypeTime, "Planerad", "Planned at", "2026-11-24T13:00:00+01:00"),
		v("inspection.performed_at", TypeTime, "Genomförd", "Performed at", "2026-11-24T13:25:00+01:00"),
		v("inspection.result", TypeNumber, "Resultat (%)", "Result (%)", 78),
		v("inspection.pass_limit", TypeNumber, "Godkäntgräns (%)", "Pass limit (%)", 80),
		v("inspection.passed", TypeBool, "Godkänd", "Passed", false),
		v("inspection.inspector", TypeString, "Kontrollant", "Inspector", "Karin Berg"),
		v("inspection.comment", TypeString, "Kommentar", "Comment", "Damm på fönsterbänkar i konferensrummen."),
	}
}

// roomVars describes the scored rooms of a room-based inspection.
func roomVars() []Variable {
	return scoreVars("inspection.rooms", "Rum", "Rooms", []any{
		score("Entré", 92, true, ""),
		score("Konferensrum 3", 64, false, "Damm på fönsterbänkar"),
		score("Personalkök", 81, true, ""),
	})
}

// unitVars describes the scored units of a unit-based inspection.
func unitVars() []Variable {
	return scoreVars("inspection.units", "Enheter", "Units", []any{
		score("Trapphus A", 85, true, ""),
		score("Tvättstuga", 70, false, "Luddfilter ej rengjorda"),
		score("Soprum", 79, false, "Spill på golvet"),
	})
}

// scoreVars declares a list of scored items and its fields.
func scoreVars(name, sv, en string, sample []any) []Variable {
	first := sample[0].(map[string]any)
	return []Variable{
		v(name, TypeList, sv, en, sample),
		v(name+".name", TypeString, "Namn", "Name", first["name"]),
		v(name+".score", TypeNumber, "Poäng (%)", "Score (%)", first["score"]),
		v(name+".passed", TypeBool, "Godkänd", "Passed", first["passed"]),
		v(name+".comment", TypeString, "Kommentar", "Comment", first["comment"]),
	}
}

// score builds one sample score.
func score(name string, pct int, passed bool, comment string) map[string]any {
	return map[string]any{"name": name, "score": pct, "passed": passed, "comment": comment}
}
