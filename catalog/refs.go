package catalog

// The variable groups every event type shares: the event itself, the refs it
// carries (customer, contract, org unit, place), the recipient, report files
// and the free data. Sample values describe one cleaning company's customer
// in Stockholm in week 48 of 2026.

// v declares a variable.
func v(name, typ, sv, en string, sample any) Variable {
	return Variable{Name: name, Type: typ, LabelSV: sv, LabelEN: en, Sample: sample}
}

// group declares an object variable: a heading for the fields under it.
func group(name, sv, en string) Variable {
	return Variable{Name: name, Type: TypeObject, LabelSV: sv, LabelEN: en}
}

// concat joins variable groups in order.
func concat(groups ...[]Variable) []Variable {
	var out []Variable
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// eventVars describes the event; typ and trig give its sample type.
func eventVars(typ, trig string) []Variable {
	return []Variable{
		group("event", "Händelse", "Event"),
		v("event.id", TypeString, "Händelsens id", "Event id", "evt-2026-11-24-000412"),
		v("event.type", TypeString, "Händelsetyp", "Event type", typ+"."+trig),
		v("event.trigger", TypeString, "Regel", "Trigger", trig),
		v("event.occurred_at", TypeTime, "Inträffade", "Occurred at", "2026-11-24T09:48:00+01:00"),
	}
}

// refVars describes the customer, contract, org unit and place of the event.
func refVars() []Variable {
	return []Variable{
		group("customer", "Kund", "Customer"),
		v("customer.id", TypeString, "Kundens id", "Customer id", "cust-1042"),
		v("customer.name", TypeString, "Kundnamn", "Customer name", "Norrmalms Kontorsfastigheter AB"),
		v("customer.number", TypeString, "Kundnummer", "Customer number", "10427"),
		group("contract", "Kontrakt", "Contract"),
		v("contract.id", TypeString, "Kontraktets id", "Contract id", "ctr-311"),
		v("contract.name", TypeString, "Kontraktsnamn", "Contract name", "Kontorsstädning Sveavägen 2026"),
		group("org_unit", "Organisationsenhet", "Organisation unit"),
		v("org_unit.id", TypeString, "Organisationsenhetens id", "Organisation unit id", "ou-stockholm-city"),
		v("org_unit.name", TypeString, "Organisationsenhet", "Organisation unit name", "Städbolaget Ren AB – Stockholm City"),
		group("place", "Plats", "Place"),
		v("place.id", TypeString, "Platsens id", "Place id", "place-7731"),
		v("place.name", TypeString, "Platsnamn", "Place name", "Kontorshuset Sveavägen 44"),
		v("place.address", TypeString, "Adress", "Address", "Sveavägen 44, 111 34 Stockholm"),
	}
}

// performerVars describes the service performers of the event.
func performerVars() []Variable {
	return []Variable{
		v("performers", TypeList, "Serviceutförare", "Service performers", []any{
			map[string]any{"id": "user-17", "name": "Ahmed Hassan"},
			map[string]any{"id": "user-23", "name": "Elin Johansson"},
		}),
		v("performers.id", TypeString, "Utförarens id", "Performer id", "user-17"),
		v("performers.name", TypeString, "Utförarens namn", "Performer name", "Ahmed Hassan"),
	}
}

// recipientVars describes the person the message is rendered for.
func recipientVars() []Variable {
	return []Variable{
		group("recipient", "Mottagare", "Recipient"),
		v("recipient.name", TypeString, "Mottagarens namn", "Recipient name", "Maria Svensson"),
		v("recipient.language", TypeString, "Mottagarens språk", "Recipient language", "sv"),
	}
}

// fileVars describes the report files, sent as download links.
func fileVars() []Variable {
	return []Variable{
		v("files", TypeList, "Rapporter", "Reports", []any{
			map[string]any{
				"name": "Orderrapport 2026-04711.pdf",
				"url":  "https://avisera.ren.se/d/Jx7fQ2mZ9kLp",
			},
		}),
		v("files.name", TypeString, "Filnamn", "File name", "Orderrapport 2026-04711.pdf"),
		v("files.url", TypeString, "Nedladdningslänk", "Download link", "https://avisera.ren.se/d/Jx7fQ2mZ9kLp"),
	}
}

// dataVars describes the event's own data: free JSON, never checked.
func dataVars() []Variable {
	return []Variable{
		v(freeRoot, TypeObject, "Händelsens egna data (fritt)", "The event's own data (free)", map[string]any{}),
	}
}

// commonVars is what every event type offers besides its subject.
func commonVars(typ, trig string) []Variable {
	return concat(eventVars(typ, trig), refVars(), performerVars(), recipientVars(), fileVars(), dataVars())
}
