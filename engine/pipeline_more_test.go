package engine_test

import (
	"errors"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
)

// customerWith sets up customer k1 with recipient contacts and a link.
func customerWith(e *env, addrs ...string) string {
	_, _, err := e.eng.PutCustomer(ctx, e.tenant, avisera.Customer{ID: "k1", Name: "Kund"})
	e.must(err)
	for i, a := range addrs {
		e.contact("k1", "Kontakt "+string(rune('A'+i)), a, avisera.RoleNotificationRecipient)
	}
	msg := e.message("Order {{ order.number }}")
	e.link(avisera.Link{MessageID: msg, Target: avisera.Target{Type: avisera.TargetCustomer, ID: "k1"},
		Dynamic: []string{avisera.TokenCustomerContacts}})
	return msg
}

func TestDuplicatesAreMerged(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		msg := customerWith(e, "anna@kund.se")
		// A second link of the same message reaches Anna again, through the tenant.
		e.link(avisera.Link{MessageID: msg, Target: avisera.Target{Type: avisera.TargetTenant},
			Dynamic: []string{avisera.TokenCustomerContacts}})
		if res := e.post("e1", avisera.Refs{Customer: "k1"}); res.Deliveries != 1 {
			t.Fatalf("deliveries = %d, want 1 (one per message, channel and address)", res.Deliveries)
		}
		ds := e.settle()
		if len(ds) != 1 || len(ds[0].LinkIDs) != 2 {
			t.Errorf("deliveries = %+v, want one remembering both links", ds)
		}
		if !e.sink.WaitFor(1, 5*time.Second) || e.sink.Count() != 1 {
			t.Errorf("sink got %d, want 1", e.sink.Count())
		}
	})
}

func TestIdempotentEvents(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		customerWith(e, "anna@kund.se", "bo@kund.se")
		first := e.post("e1", avisera.Refs{Customer: "k1"})
		again := e.post("e1", avisera.Refs{Customer: "k1"})
		if !again.Duplicate || again.Deliveries != first.Deliveries || first.Deliveries != 2 {
			t.Errorf("again = %+v, first = %+v; want the same answer marked duplicate", again, first)
		}
		_, err := e.eng.AcceptEvent(ctx, e.tenant, event("e1", avisera.Refs{Customer: "other"}))
		if avisera.ErrorCode(err) != avisera.ECONFLICT {
			t.Errorf("same id, other body: err = %v, want conflict", err)
		}
		if ds := e.settle(); len(ds) != 2 {
			t.Errorf("deliveries = %d, want 2", len(ds))
		}
		e.sink.WaitFor(2, 5*time.Second)
		time.Sleep(100 * time.Millisecond) // a wrongly queued duplicate would arrive now
		if got := e.sink.Count(); got != 2 {
			t.Errorf("sink got %d, want 2", got)
		}
	})
}

func TestTemporaryFailureIsRetried(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		customerWith(e, "anna@kund.se")
		e.sink.FailNext(1, 451, [3]int{4, 3, 0}, "greylisted, try again")
		e.post("e1", avisera.Refs{Customer: "k1"})
		ds := e.settle()
		if len(ds) != 1 || ds[0].Status != avisera.StatusSent || ds[0].Attempts != 2 {
			t.Fatalf("delivery = %+v, want sent on the second attempt", ds)
		}
		d, err := e.eng.GetDelivery(ctx, e.tenant, ds[0].ID)
		e.must(err)
		var deferred *avisera.StatusChange
		for i, h := range d.History {
			if h.Status == avisera.StatusDeferred {
				deferred = &d.History[i]
			}
		}
		if deferred == nil || !strings.Contains(deferred.Detail, "451") {
			t.Errorf("history = %+v, want a deferred entry with the server's 451 reply", d.History)
		}
	})
}

// A delivery's Message-ID is chosen when it is planned and kept by every
// attempt: a retried message is the same message to the receiving server.
func TestRetryKeepsTheMessageID(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		customerWith(e, "anna@kund.se")
		e.sink.FailNextData(1, 451, [3]int{4, 3, 0}, "try again")
		res := e.post("e1", avisera.Refs{Customer: "k1"})
		planned, err := e.eng.ListDeliveries(ctx, e.tenant, store.DeliveryFilter{}, avisera.Page{Limit: 10})
		e.must(err)
		if len(planned.Items) != 1 || planned.Items[0].ProviderID != planned.Items[0].ID+"@example.se" {
			t.Fatalf("planned = %+v (event %+v), want the Message-ID <delivery id@domain> before sending", planned.Items, res)
		}
		ds := e.settle()
		if len(ds) != 1 || ds[0].Status != avisera.StatusSent || ds[0].Attempts != 2 {
			t.Fatalf("delivery = %+v, want sent on the second attempt", ds)
		}
		got := e.sink.Messages()
		if len(got) != 1 {
			t.Fatalf("the server received %d messages, want 1", len(got))
		}
		if got[0].Header.Get("Message-Id") != "<"+planned.Items[0].ProviderID+">" ||
			ds[0].ProviderID != planned.Items[0].ProviderID {
			t.Errorf("received Message-Id %q, delivery's %q; want the planned %q",
				got[0].Header.Get("Message-Id"), ds[0].ProviderID, planned.Items[0].ProviderID)
		}
	})
}

func TestPermanentFailureBounces(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		var log lockedBuffer
		e := newEnv(t, open, fastRetry, engine.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
		customerWith(e, "anna@kund.se", "nobody@kund.se")
		e.sink.FailRecipient("nobody@kund.se", 550, "no such user")
		e.post("e1", avisera.Refs{Customer: "k1"})
		ds := byAddress(e.settle())
		nobody := ds["nobody@kund.se|Kontakt B"]
		if nobody.Status != avisera.StatusBounced || !strings.Contains(nobody.Detail, "no such user") || nobody.Attempts != 1 {
			t.Errorf("bounced delivery = %+v, want bounced once with the server's reply", nobody)
		}
		if got := log.String(); !strings.Contains(got, `msg="send failed"`) || !strings.Contains(got, "status=bounced") ||
			!strings.Contains(got, "deliveries=1 delivery="+nobody.ID) || !strings.Contains(got, "no such user") ||
			strings.Contains(got, "nobody@") {
			t.Errorf("log = %q, want the bounce with its reply, without the address", got)
		}
		if ds["anna@kund.se|Kontakt A"].Status != avisera.StatusSent {
			t.Errorf("the other recipient = %+v, want sent", ds["anna@kund.se|Kontakt A"])
		}
	})
}

// lockedBuffer is a log destination safe for the queue's workers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRetriesExpire(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, engine.RetryPolicy{Base: 50 * time.Millisecond, Cap: 100 * time.Millisecond, MaxAge: 300 * time.Millisecond})
		customerWith(e, "anna@kund.se")
		e.sink.FailRecipient("anna@kund.se", 452, "mailbox full")
		e.post("e1", avisera.Refs{Customer: "k1"})
		ds := e.settle()
		if len(ds) != 1 || ds[0].Status != avisera.StatusExpired || ds[0].Attempts < 2 || !strings.Contains(ds[0].Detail, "mailbox full") {
			t.Errorf("delivery = %+v, want expired after several attempts with the last reply", ds)
		}
	})
}

func TestUnknownRefsAreSuppressed(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		msg := e.message("Order {{ order.number }}")
		e.link(avisera.Link{MessageID: msg, Target: avisera.Target{Type: avisera.TargetTenant},
			Dynamic: []string{avisera.TokenCustomerContacts, avisera.TokenPerformer}})
		res := e.post("e1", avisera.Refs{Customer: "never-seen", Users: []string{"ghost"}})
		if res.Deliveries != 0 || res.Suppressed != 2 {
			t.Fatalf("result = %+v, want 2 suppressed", res)
		}
		for _, d := range e.settle() {
			if d.Status != avisera.StatusSuppressed || !strings.Contains(d.Detail, "unknown to Avisera") {
				t.Errorf("delivery = %+v, want suppressed as unknown", d)
			}
		}
	})
}

// TestSharedContentIsPersonal: content rendered once per message and
// language still greets each recipient by name, escaped for HTML and kept
// on one line in the subject.
func TestSharedContentIsPersonal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	_, _, err := e.eng.PutCustomer(ctx, e.tenant, avisera.Customer{ID: "k1", Name: "Kund"})
	e.must(err)
	e.contact("k1", "Eva <b>Berg</b>\r\nBcc: evil@x.se", "eva@kund.se", avisera.RoleNotificationRecipient)
	e.contact("k1", "Bo Ek", "bo@kund.se", avisera.RoleNotificationRecipient)
	m, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "order", Name: "Klar",
		Content: avisera.Content{Subject: "Till {{ recipient.name }}", EmailBody: "Hej {{ recipient.name }}!"}}, "test")
	e.must(err)
	e.link(avisera.Link{MessageID: m.ID, Target: avisera.Target{Type: avisera.TargetCustomer, ID: "k1"},
		Dynamic: []string{avisera.TokenCustomerContacts}})
	e.post("e1", avisera.Refs{Customer: "k1"})
	e.settle()
	if !e.sink.WaitFor(2, 5*time.Second) {
		t.Fatalf("sink got %d, want 2", e.sink.Count())
	}
	subjects := e.subjects()
	if subjects[0] != "Till Bo Ek" || subjects[1] != "Till Eva <b>Berg</b> Bcc: evil@x.se" {
		t.Errorf("subjects = %q, want each name, on one line", subjects)
	}
	for _, msg := range e.sink.Messages() {
		header, _, _ := strings.Cut(string(msg.Data), "\r\n\r\n")
		if len(msg.To) != 1 || strings.Contains(strings.ToLower(header), "\nbcc:") {
			t.Errorf("a name reached the headers: %q", msg.Data)
		}
		_, part, _ := strings.Cut(string(msg.Data), "Content-Type: text/html")
		html, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(part)))
		e.must(err)
		// each recipient's own name, escaped, in the content shared by both
		want := map[string]string{"eva@kund.se": "Hej Eva &lt;b&gt;Berg&lt;/b&gt;", "bo@kund.se": "Hej Bo Ek!"}[msg.To[0]]
		if !strings.Contains(string(html), want) || strings.Contains(string(html), "<b>Berg") {
			t.Errorf("HTML to %s lacks %q, or has the name unescaped:\n%s", msg.To[0], want, html)
		}
	}
}

// TestConcurrentAccepts posts events at once — repeats and clashes among
// them — so that SQLite's grouped commits meet a failing member: every
// event is stored once, repeats get the first answer, clashes a conflict.
func TestConcurrentAccepts(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		customerWith(e, "anna@kund.se")
		type result struct {
			res engine.EventResult
			err error
		}
		results := make([]result, 60)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				id, refs := "e"+strconv.Itoa(i%40), avisera.Refs{Customer: "k1"}
				if i >= 50 {
					refs.Customer = "other" // same id as e10…e19, other content
				}
				res, err := e.eng.AcceptEvent(ctx, e.tenant, event(id, refs))
				results[i] = result{res, err}
			})
		}
		wg.Wait()
		want := 40
		for i := range 20 {
			a, b := results[i], results[i+40]
			switch {
			case i < 10 && (a.err != nil || b.err != nil || a.res.Deliveries != 1 || b.res.Deliveries != 1 || a.res.Duplicate == b.res.Duplicate):
				t.Errorf("repeat of e%d: %+v and %+v, want the same answer, one marked duplicate", i, a, b)
			case i >= 10 && (a.err == nil) == (b.err == nil):
				t.Errorf("clash on e%d: %v and %v, want exactly one conflict", i, a.err, b.err)
			case i >= 10 && b.err == nil:
				want-- // the other content won: its customer has no links
			}
		}
		for i := 20; i < 40; i++ {
			if results[i].err != nil || results[i].res.Deliveries != 1 {
				t.Errorf("event %d: %+v", i, results[i])
			}
		}
		if ds := e.settle(); len(ds) != want {
			t.Errorf("deliveries = %d, want %d", len(ds), want)
		}
	})
}

// Master data read for one event is reused for the next, but never past a
// change, whether another process makes it or someone at the SQL prompt.
func TestMasterDataChangesReachTheNextEvent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, fastRetry)
		customerWith(e, "anna@kund.se")
		if r := e.post("e1", avisera.Refs{Customer: "k1"}); r.Deliveries != 1 {
			t.Fatalf("e1: %+v, want 1 delivery", r)
		}
		other := engine.New(e.db.Store()) // another replica on the same database
		c, err := other.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Bo", Emails: []string{"bo@kund.se"}})
		e.must(err)
		_, err = other.LinkContact(ctx, e.tenant, avisera.ContactLink{ObjectType: avisera.ObjectCustomer, ObjectID: "k1",
			ContactID: c.ID, Roles: []string{avisera.RoleNotificationRecipient}})
		e.must(err)
		if r := e.post("e2", avisera.Refs{Customer: "k1"}); r.Deliveries != 2 {
			t.Fatalf("e2 after another replica added a recipient: %+v, want 2 deliveries", r)
		}
		q := "UPDATE contacts SET active = (1 = 0) WHERE id = ?"
		if e.db.Dialect().Numbered {
			q = strings.Replace(q, "?", "$1", 1)
		}
		_, err = e.db.WriteDB().ExecContext(ctx, q, c.ID)
		e.must(err)
		if r := e.post("e3", avisera.Refs{Customer: "k1"}); r.Deliveries != 1 || r.Suppressed != 1 {
			t.Fatalf("e3 after Bo was deactivated in SQL: %+v, want 1 delivery and 1 suppressed", r)
		}
	})
}

// A send job that runs again after an unfinished run (its process died)
// marks its sends as possible duplicates in the history; a first run does
// not.
func TestRerunMarksPossibleDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	customerWith(e, "anna@kund.se", "bo@kund.se")
	e.stop() // nothing sends: the deliveries stay queued
	e.post("e1", avisera.Refs{Customer: "k1"})
	l, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter("e1"), avisera.Page{Limit: 10})
	e.must(err)
	if len(l.Items) != 2 {
		t.Fatalf("deliveries = %d, want 2", len(l.Items))
	}
	e.must(e.eng.SendDeliveries(ctx, 0, e.tenant, []string{l.Items[0].ID}, false))
	e.must(e.eng.SendDeliveries(ctx, 0, e.tenant, []string{l.Items[1].ID}, true))
	for i, want := range []bool{false, true} {
		d, err := e.eng.GetDelivery(ctx, e.tenant, l.Items[i].ID)
		e.must(err)
		h := d.History[len(d.History)-2]
		if d.Status != avisera.StatusSent || h.Status != avisera.StatusSending || strings.Contains(h.Detail, "may already have arrived") != want {
			t.Errorf("again=%v: status %s, history %+v; want sent, and the sending entry noting a possible earlier copy only when again", want, d.Status, d.History)
		}
	}
}

// TestFollowUpOrgUnitCoversItsUnits: filtering the follow-up by an org
// unit lists the deliveries of that unit and of every unit beneath it.
func TestFollowUpOrgUnitCoversItsUnits(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) { followUpOrgUnit(t, newEnv(t, open, fastRetry)) })
}

func followUpOrgUnit(t *testing.T, e *env) {
	for _, o := range []avisera.OrgUnit{{ID: "root", Name: "Bolaget"}, {ID: "syd", Name: "Syd", ParentID: "root"},
		{ID: "malmo", Name: "Malmö", ParentID: "syd"}, {ID: "norr", Name: "Norr", ParentID: "root"}} {
		_, _, err := e.eng.PutOrgUnit(ctx, e.tenant, o)
		e.must(err)
	}
	_, _, err := e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "boss", Name: "Chefen",
		Role: "chef", NotificationRecipient: true}, Emails: []string{"chef@stad.se"}})
	e.must(err)
	e.link(avisera.Link{MessageID: e.message("Order {{ order.number }}"), Target: avisera.Target{Type: avisera.TargetTenant},
		Static: []avisera.StaticRecipient{{UserID: "boss"}}})
	for _, unit := range []string{"root", "syd", "malmo", "norr"} {
		e.post("e-"+unit, avisera.Refs{OrgUnit: unit})
	}
	e.settle()
	for unit, want := range map[string][]string{"syd": {"e-malmo", "e-syd"}, "malmo": {"e-malmo"},
		"root": {"e-malmo", "e-norr", "e-root", "e-syd"}, "nowhere": nil} {
		l, err := e.eng.ListDeliveries(ctx, e.tenant, store.DeliveryFilter{OrgUnitID: unit}, avisera.Page{Limit: 50})
		e.must(err)
		var got []string
		for _, d := range l.Items {
			got = append(got, d.EventID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("org_unit_id=%s lists %v, want %v", unit, got, want)
		}
	}
}

// TestPerformerContacts: the performer token reaches the contacts linked
// to each user with the role notification_recipient (seed: the user's own
// contact "to enable notifications", and "other contacts that shall have
// notifications"); a user whose validity has ended, whose own contact lost
// the role or was deactivated gets nothing, with the reason.
func TestPerformerContacts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	ended := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, u := range []engine.UserInput{
		{User: avisera.User{ID: "u1", Name: "Olle"}, Emails: []string{"olle@stad.se"}},
		{User: avisera.User{ID: "u2", Name: "Gunnar", ValidTo: &ended}, Emails: []string{"gunnar@stad.se"}},
		{User: avisera.User{ID: "u3", Name: "Lisa"}, Emails: []string{"lisa@stad.se"}},
		{User: avisera.User{ID: "u4", Name: "Per"}, Emails: []string{"per@stad.se"}},
	} {
		u.Role, u.NotificationRecipient = "städare", true
		_, _, err := e.eng.PutUser(ctx, e.tenant, u)
		e.must(err)
	}
	family, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Gustav", Emails: []string{"gustav@hem.se"}})
	e.must(err)
	e.linkContact(avisera.ObjectUser, "u1", family.ID, avisera.RoleNotificationRecipient)
	lisa, err := e.eng.GetUser(ctx, e.tenant, "u3")
	e.must(err)
	e.linkContact(avisera.ObjectUser, "u3", lisa.ContactID, avisera.RoleMainContact)
	per, err := e.eng.GetUser(ctx, e.tenant, "u4")
	e.must(err)
	_, err = e.eng.SetContactActive(ctx, e.tenant, per.ContactID, false)
	e.must(err)
	// The seed's way: a user without addresses, then a contact of their own
	// on the user's contact tab with the roles main contact and recipient.
	_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u5", Name: "Stina",
		Role: "städare", NotificationRecipient: true}})
	e.must(err)
	stina, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Stina", Emails: []string{"stina@stad.se"}})
	e.must(err)
	e.linkContact(avisera.ObjectUser, "u5", stina.ID, avisera.RoleMainContact, avisera.RoleNotificationRecipient)
	if u5, err := e.eng.GetUser(ctx, e.tenant, "u5"); err != nil || u5.ContactID != stina.ID || !slices.Equal(u5.Emails, []string{"stina@stad.se"}) {
		t.Errorf("u5 = %+v, %v; want the linked contact as their own, with its address", u5, err)
	}
	// Unlinked, it is no longer their own; linked again, it is.
	e.must(e.eng.UnlinkContact(ctx, e.tenant, avisera.ObjectUser, "u5", stina.ID))
	if u5, err := e.eng.GetUser(ctx, e.tenant, "u5"); err != nil || u5.ContactID != "" || len(u5.Emails) != 0 {
		t.Errorf("u5 after unlinking = %+v, %v; want no own contact", u5, err)
	}
	e.linkContact(avisera.ObjectUser, "u5", stina.ID, avisera.RoleMainContact, avisera.RoleNotificationRecipient)
	e.link(avisera.Link{MessageID: e.message("Order {{ order.number }}"), Target: avisera.Target{Type: avisera.TargetTenant},
		Dynamic: []string{avisera.TokenPerformer}})

	e.post("e1", avisera.Refs{Users: []string{"u1", "u2", "u3", "u4", "u5"}})
	ds := byAddress(e.settle())
	for _, who := range []string{"olle@stad.se|Olle", "gustav@hem.se|Gustav", "stina@stad.se|Stina"} {
		if ds[who].Status != avisera.StatusSent {
			t.Errorf("%s = %+v, want sent", who, ds[who])
		}
	}
	if via := ds["gustav@hem.se|Gustav"].ReachedVia; !strings.Contains(via, "contact Gustav of performer Olle (u1)") {
		t.Errorf("Gustav reached via %q, want as a contact of performer Olle", via)
	}
	for who, reason := range map[string]string{"|Gunnar": "validity period has ended",
		"|Lisa": "no contact with the role notification_recipient", "|Per": "is deactivated"} {
		if d := ds[who]; d.Status != avisera.StatusSuppressed || !strings.Contains(d.Detail, reason) {
			t.Errorf("%s = %+v, want suppressed: %s", who, d, reason)
		}
	}
	if len(ds) != 6 {
		t.Errorf("deliveries = %v, want 3 sent and 3 suppressed", ds)
	}
}

// TestNoContactIsTakenOver: a contact linked to a user becomes their own
// only when linked as main contact (never made so unasked) and to nothing
// else; a user sent with a contact's address adopts that
// contact keeping what was not sent; two users' own contacts are not
// merged.
func TestNoContactIsTakenOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	put := func(id string, emails ...string) avisera.User {
		t.Helper()
		_, _, err := e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: id, Name: id, Role: "städare",
			NotificationRecipient: true}, Emails: emails})
		e.must(err)
		u, err := e.eng.GetUser(ctx, e.tenant, id)
		e.must(err)
		return u
	}
	put("u1")
	foreman, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Förman", Emails: []string{"forman@stad.se"},
		Phones: []string{"0702222222"}})
	e.must(err)
	link, err := e.eng.LinkContact(ctx, e.tenant, avisera.ContactLink{ObjectType: avisera.ObjectUser, ObjectID: "u1",
		ContactID: foreman.ID, Roles: []string{avisera.RoleNotificationRecipient}})
	e.must(err)
	if link.HasRole(avisera.RoleMainContact) {
		t.Errorf("a user's first contact link = %v, want no main contact role unasked", link.Roles)
	}
	u1 := put("u1", "u1@stad.se")
	if u1.ContactID == foreman.ID || u1.ContactID == "" {
		t.Fatalf("u1 = %+v, want an own contact of their own, not the foreman", u1)
	}
	put("u2")
	e.linkContact(avisera.ObjectUser, "u2", u1.ContactID, avisera.RoleMainContact)
	if u2 := put("u2"); u2.ContactID != "" {
		t.Errorf("u2 = %+v, want u1's own contact not taken over", u2)
	}
	// A customer's contact ticked as a user's main contact stays the customer's.
	_, _, err = e.eng.PutCustomer(ctx, e.tenant, avisera.Customer{ID: "k1", Name: "Kund"})
	e.must(err)
	bob := e.contact("k1", "Bob", "bob@kund.se", avisera.RoleNotificationRecipient)
	put("u4")
	e.linkContact(avisera.ObjectUser, "u4", bob, avisera.RoleMainContact)
	if u4 := put("u4", "ulla@stad.se"); u4.ContactID == bob {
		t.Errorf("u4 = %+v, want Bob, a customer's contact, not taken over", u4)
	}
	// Nor is Bob taken over by a user sent with his address: a 409 names him.
	_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u6", Name: "U6", Role: "städare",
		NotificationRecipient: true}, Emails: []string{"u6@stad.se", "bob@kund.se"}})
	var taken *avisera.Error
	if !errors.As(err, &taken) || taken.Code != avisera.ECONFLICT || taken.Field != "emails[1]" || taken.ConflictID != bob {
		t.Errorf("a user sent with a customer contact's address: err = %#v, want a 409 on emails[1] naming Bob", err)
	}
	if c, _, err := e.eng.GetContact(ctx, e.tenant, bob); err != nil || c.Name != "Bob" || !slices.Equal(c.Emails, []string{"bob@kund.se"}) {
		t.Errorf("Bob = %+v, %v; want unchanged", c, err)
	}
	// A colleague's contact first linked to an org unit, then ticked as
	// their own on their user: adopted (staff, not a customer).
	_, _, err = e.eng.PutOrgUnit(ctx, e.tenant, avisera.OrgUnit{ID: "syd", Name: "Syd"})
	e.must(err)
	stina, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Stina", Emails: []string{"stina@stad.se"}})
	e.must(err)
	put("u5")
	e.linkContact(avisera.ObjectOrgUnit, "syd", stina.ID, avisera.RoleNotificationRecipient)
	e.linkContact(avisera.ObjectUser, "u5", stina.ID, avisera.RoleMainContact, avisera.RoleNotificationRecipient)
	if u5 := put("u5"); u5.ContactID != stina.ID {
		t.Errorf("u5 = %+v, want Stina's contact, also an org unit's, as their own", u5)
	}
	// The foreman's address sent for u3: that contact is u3, its phone kept.
	if u3 := put("u3", "forman@stad.se"); u3.ContactID != foreman.ID || !slices.Equal(u3.Phones, []string{"+46702222222"}) {
		t.Errorf("u3 = %+v, want the foreman's contact adopted with its phone", u3)
	}
	u2 := put("u2", "u2@stad.se")
	var conflict *avisera.Error
	if _, err := e.eng.MergeContacts(ctx, e.tenant, u1.ContactID, u2.ContactID); !errors.As(err, &conflict) ||
		conflict.Code != avisera.ECONFLICT {
		t.Errorf("merging two users' own contacts: err = %v, want a conflict", err)
	}
}

// TestLoggedInPerformerWithoutOwnContact: a logged-in performer whose only
// linked contact is someone else's still gets the SMS on the device.
func TestLoggedInPerformerWithoutOwnContact(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	_, _, err := e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u1", Name: "Olle",
		Role: "städare", NotificationRecipient: true}})
	e.must(err)
	_, err = e.eng.LoginDevice(ctx, e.tenant, "u1", "0706666666")
	e.must(err)
	boss, err := e.eng.CreateContact(ctx, e.tenant, engine.ContactInput{Name: "Chefen", Phones: []string{"0702222222"}})
	e.must(err)
	e.linkContact(avisera.ObjectUser, "u1", boss.ID, avisera.RoleNotificationRecipient)
	e.link(avisera.Link{MessageID: e.smsMessage("Order {{ order.number }} klar"), Channels: []string{avisera.ChannelSMS},
		Target: avisera.Target{Type: avisera.TargetTenant}, Dynamic: []string{avisera.TokenPerformer}})
	e.post("e1", avisera.Refs{Users: []string{"u1"}})
	l, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter("e1"), avisera.Page{Limit: 10})
	e.must(err)
	var got []string
	for _, d := range l.Items {
		got = append(got, d.Address)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"+46702222222", "+46706666666"}) {
		t.Errorf("SMS to %v, want the boss's mobile and Olle's logged-in phone", got)
	}
}

// TestLoggedInUserGetsOneSMS: a user reached as a static recipient (with
// their mobile chosen), as the performer and as a customer's contact while
// logged in on another phone gets one SMS, on the logged-in phone.
func TestLoggedInUserGetsOneSMS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite, fastRetry)
	_, _, err := e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u1", Name: "Olle",
		Role: "städare", NotificationRecipient: true}, Phones: []string{"0701111111"}})
	e.must(err)
	_, err = e.eng.LoginDevice(ctx, e.tenant, "u1", "0706666666")
	e.must(err)
	m := e.smsMessage("Order {{ order.number }} klar")
	// Olle's own contact is also a recipient contact of the customer.
	_, _, err = e.eng.PutCustomer(ctx, e.tenant, avisera.Customer{ID: "k1", Name: "Kund"})
	e.must(err)
	olle, err := e.eng.GetUser(ctx, e.tenant, "u1")
	e.must(err)
	e.linkContact(avisera.ObjectCustomer, "k1", olle.ContactID, avisera.RoleNotificationRecipient)
	e.link(avisera.Link{MessageID: m, Channels: []string{avisera.ChannelSMS}, Target: avisera.Target{Type: avisera.TargetTenant},
		Static:  []avisera.StaticRecipient{{UserID: "u1", Addresses: []string{"+46701111111"}}},
		Dynamic: []string{avisera.TokenPerformer, avisera.TokenCustomerContacts}})
	e.post("e1", avisera.Refs{Users: []string{"u1"}, Customer: "k1"})
	l, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter("e1"), avisera.Page{Limit: 10})
	e.must(err)
	if len(l.Items) != 1 || l.Items[0].Address != "+46706666666" || !strings.Contains(l.Items[0].ReachedVia, "static user") ||
		!strings.Contains(l.Items[0].ReachedVia, "performer") || !strings.Contains(l.Items[0].ReachedVia, "customer contacts") {
		t.Errorf("deliveries = %+v, want one SMS to the logged-in +46706666666, reached as static user, performer "+
			"and customer contact", l.Items)
	}
}
