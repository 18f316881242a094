package engine_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/email/smtptest"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

var ctx = context.Background()

// env is a running engine: a real database, a real River queue and a real
// SMTP server as the sink.
type env struct {
	t      *testing.T
	eng    *engine.Engine
	sink   *smtptest.Server
	tenant string
	db     *sqlstore.DB
	stop   func()
	start  func() *engine.Engine
}

// fastRetry retries quickly so that tests see a retry happen.
var fastRetry = engine.RetryPolicy{Base: 50 * time.Millisecond, Cap: 200 * time.Millisecond, MaxAge: time.Minute}

func newEnv(t *testing.T, open func(testing.TB) *sqlstore.DB, policy engine.RetryPolicy, opts ...engine.Option) *env {
	t.Helper()
	db := open(t)
	sink := smtptest.NewServer(t)
	cfg, err := email.ParseURL(sink.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.From = "avisera@example.se"
	sender, err := email.NewSender(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	e := &env{t: t, sink: sink, db: db}
	// start builds an engine with its own queue over the database, as a
	// process start does; stop stops that queue, as a process exit does.
	e.start = func() *engine.Engine {
		q, err := queue.New(db, queue.Config{Workers: 8, PollInterval: 20 * time.Millisecond}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		eng := engine.New(db.Store(), append([]engine.Option{engine.WithQueue(q), engine.WithEmail(engine.SMTP{Sender: sender}),
			engine.WithRetryPolicy(policy)}, opts...)...)
		runCtx, cancel := context.WithCancel(ctx)
		if err := q.Start(runCtx, eng); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		e.stop = func() {
			once.Do(func() {
				stopCtx, c := context.WithTimeout(ctx, 10*time.Second)
				defer c()
				_ = q.Stop(stopCtx)
				cancel()
			})
		}
		t.Cleanup(e.stop)
		return eng
	}
	e.eng = e.start()
	tenant, _, err := e.eng.CreateTenant(ctx, "Städbolaget")
	if err != nil {
		t.Fatal(err)
	}
	e.tenant = tenant.ID
	return e
}

// restart stops the engine and starts another on the same database.
func (e *env) restart() {
	e.stop()
	e.eng = e.start()
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// contact creates a contact and links it to a customer with roles.
func (e *env) contact(customer, name, addr string, roles ...string) string {
	e.t.Helper()
	c, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: name, Emails: []string{addr}})
	e.must(err)
	if roles == nil {
		roles = []string{}
	}
	_, err = e.eng.LinkContact(ctx, e.tenant, avisera.ContactLink{ObjectType: avisera.ObjectCustomer,
		ObjectID: customer, ContactID: c.ID, Roles: roles})
	e.must(err)
	return c.ID
}

func (e *env) message(subject string) string {
	e.t.Helper()
	m, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "order", Name: "Klar",
		Content: avisera.Content{Subject: subject, EmailBody: "Hej {{ recipient.name }}, order {{ order.number }} är klar."}}, "test")
	e.must(err)
	return m.ID
}

// smsMessage creates an order message with only an SMS body.
func (e *env) smsMessage(body string) string {
	e.t.Helper()
	m, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "order", Name: "SMS",
		Content: avisera.Content{Subject: "x", SMSBody: body}}, "test")
	e.must(err)
	return m.ID
}

// linkContact links a contact to an object with roles.
func (e *env) linkContact(objectType, objectID, contactID string, roles ...string) {
	e.t.Helper()
	_, err := e.eng.LinkContact(ctx, e.tenant, avisera.ContactLink{ObjectType: objectType, ObjectID: objectID,
		ContactID: contactID, Roles: roles})
	e.must(err)
}

func (e *env) link(l avisera.Link) avisera.Link {
	e.t.Helper()
	if l.Trigger == "" {
		l.Trigger = "completed"
	}
	if l.Channels == nil {
		l.Channels = []string{avisera.ChannelEmail}
	}
	res, err := e.eng.CreateLink(ctx, e.tenant, l)
	e.must(err)
	return res.Link
}

func (e *env) post(id string, refs avisera.Refs) engine.EventResult {
	e.t.Helper()
	res, err := e.eng.AcceptEvent(ctx, e.tenant, event(id, refs))
	e.must(err)
	return res
}

func event(id string, refs avisera.Refs) engine.EventInput {
	return engine.EventInput{ID: id, Type: "order.completed", OccurredAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Subject: avisera.Target{Type: "order", ID: "o-" + id}, Refs: refs, Data: json.RawMessage(`{"number":"N-` + id + `"}`)}
}

// settle waits until no delivery of the tenant is pending and returns all.
func (e *env) settle() []avisera.Delivery {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		l, err := e.eng.ListDeliveries(ctx, e.tenant, store.DeliveryFilter{}, avisera.Page{Limit: 500})
		e.must(err)
		if !slices.ContainsFunc(l.Items, func(d avisera.Delivery) bool { return avisera.Pending(d.Status) }) {
			return l.Items
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("deliveries still pending after 15 s: %+v", l.Items)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func byAddress(ds []avisera.Delivery) map[string]avisera.Delivery {
	out := map[string]avisera.Delivery{}
	for _, d := range ds {
		out[d.Address+"|"+d.RecipientName] = d
	}
	return out
}

// forEachDB runs a test on SQLite and, when configured, PostgreSQL.
func forEachDB(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "postgres" {
				storetest.PostgresURL(t)
			}
			fn(t, open)
		})
	}
}

// TestSeedScenario is the seed's situation: customer contacts with and
// without the recipient role, a contract contact, a performer and a static
// user whose validity has ended.
func TestSeedScenario(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		_, _, err := e.eng.PutCustomer(ctx, e.tenant, avisera.Customer{ID: "k1", Name: "Kontorshuset AB"})
		e.must(err)
		_, _, err = e.eng.PutContract(ctx, e.tenant, avisera.Contract{ID: "c1", Name: "Städavtal", CustomerID: "k1"})
		e.must(err)
		e.contact("k1", "Anna Mottagare", "anna@kund.se", avisera.RoleNotificationRecipient)
		e.contact("k1", "Bo Huvudkontakt", "bo@kund.se", avisera.RoleMainContact)
		cc, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Cecilia Kontrakt", Emails: []string{"cecilia@kund.se"}})
		e.must(err)
		_, err = e.eng.LinkContact(ctx, e.tenant, avisera.ContactLink{ObjectType: avisera.ObjectContract, ObjectID: "c1",
			ContactID: cc.ID, Roles: []string{avisera.RoleNotificationRecipient}})
		e.must(err)
		ended := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "gone", Name: "Gunnar Slutat",
			Role: "chef", NotificationRecipient: true, ValidTo: &ended}, Emails: []string{"gunnar@stad.se"}})
		e.must(err)
		// Valid when the event happened, gone by the time the host reports it.
		left := time.Now().Add(-time.Hour)
		_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "left", Name: "Lisa Lämnat",
			Role: "chef", NotificationRecipient: true, ValidTo: &left}, Emails: []string{"lisa@stad.se"}})
		e.must(err)
		_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u1", Name: "Olle Städare",
			Role: "städare", NotificationRecipient: true}, Emails: []string{"olle@stad.se"}})
		e.must(err)
		msg := e.message("Order {{ order.number }} klar hos {{ customer.name }}")
		e.link(avisera.Link{MessageID: msg, Target: avisera.Target{Type: avisera.TargetCustomer, ID: "k1"},
			Dynamic: []string{avisera.TokenCustomerContacts, avisera.TokenContractContacts, avisera.TokenPerformer}})
		e.link(avisera.Link{MessageID: msg, Target: avisera.Target{Type: avisera.TargetTenant},
			Static: []avisera.StaticRecipient{{UserID: "gone"}, {UserID: "left", Addresses: []string{"lisa@stad.se"}}}})

		res := e.post("e1", avisera.Refs{Customer: "k1", Contract: "c1", Users: []string{"u1"}})
		if res.Deliveries != 3 || res.Suppressed != 2 {
			t.Errorf("accepted = %+v, want 3 deliveries and 2 suppressed", res)
		}
		ds := byAddress(e.settle())
		for _, addr := range []string{"anna@kund.se|Anna Mottagare", "cecilia@kund.se|Cecilia Kontrakt", "olle@stad.se|Olle Städare"} {
			if d, ok := ds[addr]; !ok || d.Status != avisera.StatusSent || d.ProviderID == "" || d.Subject != "Order N-e1 klar hos Kontorshuset AB" {
				t.Errorf("delivery to %s = %+v, want sent with the rendered subject", addr, d)
			}
		}
		if _, ok := ds["bo@kund.se|Bo Huvudkontakt"]; ok {
			t.Error("a contact without the notification_recipient role got a delivery")
		}
		// Skipped, they are listed with the address the link chose and the subject they would have had.
		for _, who := range []string{"gunnar@stad.se|Gunnar Slutat", "lisa@stad.se|Lisa Lämnat"} {
			if d := ds[who]; d.Status != avisera.StatusSuppressed || !strings.Contains(d.Detail, "validity period has ended") ||
				d.ProviderID != "" || d.Subject != "Order N-e1 klar hos Kontorshuset AB" {
				t.Errorf("ended static user %s = %+v, want suppressed naming the validity period, with the subject, without a Message-ID", who, d)
			}
		}
		if !e.sink.WaitFor(3, 5*time.Second) || e.sink.Count() != 3 {
			t.Fatalf("sink got %d messages, want 3", e.sink.Count())
		}
		for _, m := range e.sink.Messages() {
			if m.Subject != "Order N-e1 klar hos Kontorshuset AB" || m.Header.Get("X-Avisera-Delivery") == "" {
				t.Errorf("received %q with headers %v", m.Subject, m.Header)
			}
		}
		d, err := e.eng.GetDelivery(ctx, e.tenant, ds["anna@kund.se|Anna Mottagare"].ID)
		e.must(err)
		var statuses []string
		for _, h := range d.History {
			statuses = append(statuses, h.Status)
		}
		if !slices.Equal(statuses, []string{"queued", "sending", "sent"}) || !strings.Contains(d.HTML, "Anna Mottagare") {
			t.Errorf("history = %v, html has the name: %v; want queued, sending, sent", statuses, strings.Contains(d.HTML, "Anna"))
		}
	})
}

var openSQLite = storetest.OpenSQLite

func storeFilter(eventID string) store.DeliveryFilter { return store.DeliveryFilter{EventID: eventID} }
