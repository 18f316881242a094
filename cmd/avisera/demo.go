package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/store"
)

// demoLinkFilter finds the demo's links, to seed them once.
var demoLinkFilter = store.LinkFilter{Targets: []avisera.Target{{Type: avisera.TargetOrgUnit, ID: "demo-sthlm"}}}

// demoCmd fills the default tenant with a small cleaning company — org
// units, a customer with contacts, performers, messages, links, a planned
// shift — and posts a few events, so that the admin UI and the follow-up
// report have something to show. The deliveries are queued durably and go
// out (to the dev mailbox unless SMTP is configured) when serve runs.
func demoCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "demo [flags]", stderr)
	cfg := bindConfig(fs, getenv, "data-dir", "database-url", "tenant-name")
	db, err := parseAndOpen(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer db.Close()
	q, err := queue.New(db, queue.Config{}, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	eng := engine.New(db.Store(), engine.WithQueue(q))
	if err := announceTenant(ctx, eng, cfg, stdout, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	t, _, err := eng.EnsureDefaultTenant(ctx, cfg.TenantName)
	if err != nil {
		return err
	}
	if err := seedDemo(ctx, eng, t.ID); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(stdout, "Demo data is in place. Start the server (avisera serve) to send the queued notifications.")
	return nil
}

// demoStep is one call of the demo seed.
type demoStep func(ctx context.Context, e *engine.Engine, tenantID string) error

func seedDemo(ctx context.Context, e *engine.Engine, tenantID string) error {
	for _, step := range []demoStep{demoOrg, demoPeople, demoMessages, demoEvents} {
		if err := step(ctx, e, tenantID); err != nil {
			return err
		}
	}
	return nil
}

func demoOrg(ctx context.Context, e *engine.Engine, tenantID string) error {
	for _, o := range []avisera.OrgUnit{{ID: "demo-hq", Name: "Städbolaget Ren AB", TimeZone: "Europe/Stockholm", Language: "sv"},
		{ID: "demo-sthlm", ParentID: "demo-hq", Name: "Region Stockholm"}} {
		if _, _, err := e.PutOrgUnit(ctx, tenantID, o); err != nil {
			return err
		}
	}
	if _, _, err := e.PutCustomer(ctx, tenantID, avisera.Customer{ID: "demo-kund", Name: "Kontorshuset Sveavägen AB",
		Number: "K-1001", OrgUnitID: "demo-sthlm"}); err != nil {
		return err
	}
	_, _, err := e.PutContract(ctx, tenantID, avisera.Contract{ID: "demo-avtal", Name: "Kontorsstädning 2026",
		CustomerID: "demo-kund"})
	if err == nil {
		_, _, err = e.PutPlace(ctx, tenantID, avisera.Place{ID: "demo-plats", Name: "Kontorshuset Sveavägen 44",
			Address: "Sveavägen 44, 111 34 Stockholm", CustomerID: "demo-kund"})
	}
	return err
}

func demoPeople(ctx context.Context, e *engine.Engine, tenantID string) error {
	users := []engine.UserInput{
		{User: avisera.User{ID: "demo-chef", Name: "Maria Svensson", Role: "områdeschef", NotificationRecipient: true},
			Emails: []string{"maria.svensson@stadbolaget.example"}, Phones: []string{"070-100 00 01"}},
		{User: avisera.User{ID: "demo-olle", Name: "Olle Lind", Role: "serviceutförare", NotificationRecipient: true,
			OrgUnitIDs: []string{"demo-sthlm"}}, Emails: []string{"olle.lind@stadbolaget.example"}, Phones: []string{"070-100 00 02"}},
	}
	for _, u := range users {
		if _, _, err := e.PutUser(ctx, tenantID, u); err != nil && avisera.ErrorCode(err) != avisera.ECONFLICT {
			return err
		}
	}
	c, err := e.CreateContact(ctx, tenantID, engine.ContactInput{Name: "Åsa Berg", Emails: []string{"asa.berg@kontorshuset.example"},
		Phones: []string{"070-200 00 01"}})
	if avisera.ErrorCode(err) == avisera.ECONFLICT {
		return nil // seeded before
	}
	if err != nil {
		return err
	}
	_, err = e.LinkContact(ctx, tenantID, avisera.ContactLink{ObjectType: avisera.ObjectCustomer, ObjectID: "demo-kund",
		ContactID: c.ID, Roles: []string{avisera.RoleNotificationRecipient}})
	return err
}

func demoMessages(ctx context.Context, e *engine.Engine, tenantID string) error {
	links, err := e.ListLinks(ctx, tenantID, demoLinkFilter)
	if err != nil || len(links) > 0 {
		return err
	}
	done, err := e.CreateMessage(ctx, tenantID, engine.MessageInput{EventType: "order", Name: "Order utförd",
		Content: avisera.Content{Subject: "Städningen hos {{ customer.name }} är klar",
			EmailBody: "Hej {{ recipient.name }}!\n\nOrder **{{ order.number }}** ({{ order.name }}) är utförd av " +
				"{% for p in performers %}{{ p.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}.\n\nVänliga hälsningar\nStädbolaget Ren AB",
			SMSBody: "Order {{ order.number }} hos {{ customer.name }} är klar."}, IncludeFiles: true}, "demo")
	if err != nil {
		return err
	}
	late, err := e.CreateMessage(ctx, tenantID, engine.MessageInput{EventType: "work_shift", Name: "Pass ej startat",
		Content: avisera.Content{Subject: "{{ user.name }} har inte startat sitt pass",
			SMSBody: "{{ user.name }} har inte startat passet som skulle börja {{ work_shift.planned_start | date: \"%H:%M\" }}."}}, "demo")
	if err != nil {
		return err
	}
	for _, l := range []avisera.Link{
		{MessageID: done.ID, Trigger: "completed", Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "demo-sthlm"},
			Channels: []string{avisera.ChannelEmail}, Dynamic: []string{avisera.TokenCustomerContacts},
			Static: []avisera.StaticRecipient{{UserID: "demo-chef"}}},
		{MessageID: late.ID, Trigger: "not_started", Offset: avisera.Duration(15 * time.Minute),
			Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "demo-sthlm"}, Channels: []string{avisera.ChannelSMS, avisera.ChannelEmail},
			Static: []avisera.StaticRecipient{{UserID: "demo-chef"}}},
	} {
		if _, err := e.CreateLink(ctx, tenantID, l); err != nil {
			return err
		}
	}
	return nil
}

func demoEvents(ctx context.Context, e *engine.Engine, tenantID string) error {
	now := time.Now()
	start := now.Add(2 * time.Hour).Truncate(time.Hour)
	end := start.Add(4 * time.Hour)
	if _, _, err := e.PutPlan(ctx, tenantID, engine.PlanInput{Type: "work_shift", ID: "demo-pass-1", UserIDs: []string{"demo-olle"},
		Refs: avisera.Refs{OrgUnit: "demo-sthlm", Place: "demo-plats"}, StartsAt: start, EndsAt: &end,
		Data: json.RawMessage(`{"name":"Kontorsstädning"}`)}); err != nil {
		return err
	}
	for i, number := range []string{"2026-0001", "2026-0002"} {
		if _, err := e.GetEvent(ctx, tenantID, "demo-order-"+number); err == nil {
			continue // seeded before
		}
		_, err := e.AcceptEvent(ctx, tenantID, engine.EventInput{ID: "demo-order-" + number, Type: "order.completed",
			OccurredAt: now.Add(time.Duration(i-2) * time.Hour), Subject: avisera.Target{Type: "order", ID: "demo-o-" + number},
			Refs: avisera.Refs{Customer: "demo-kund", Contract: "demo-avtal", Place: "demo-plats", Users: []string{"demo-olle"}},
			Data: json.RawMessage(`{"number":"` + number + `","name":"Kontorsstädning vecka 49"}`)})
		if err != nil {
			return err
		}
	}
	return nil
}
