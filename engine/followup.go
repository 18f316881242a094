package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/fold"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/store"
)

// ListDeliveries lists deliveries for the follow-up report, newest first.
func (e *Engine) ListDeliveries(ctx context.Context, tenantID string, f store.DeliveryFilter, p avisera.Page) (_ List[avisera.Delivery], err error) {
	p = p.Normalize()
	if err := e.prepareFilter(ctx, tenantID, &f); err != nil {
		return List[avisera.Delivery]{}, err
	}
	if err := checkCursor(p); err != nil {
		return List[avisera.Delivery]{}, err
	}
	items, err := e.store.ListDeliveries(ctx, tenantID, f, ahead(p))
	return page(items, p, store.DeliveryCursor), err
}

// prepareFilter checks a follow-up filter and completes it for the store:
// a q that is a phone number also matches its E.164 form, and an org unit
// stands for itself and every unit beneath it.
func (e *Engine) prepareFilter(ctx context.Context, tenantID string, f *store.DeliveryFilter) (err error) {
	if err := checkFilter(*f); err != nil {
		return err
	}
	if err := e.searchWords(ctx, tenantID, f); err != nil {
		return err
	}
	if f.OrgUnitID != "" {
		if f.OrgUnitIDs, err = e.orgUnitAndBelow(ctx, tenantID, f.OrgUnitID); err != nil {
			return err
		}
		f.OrgUnitID = ""
	}
	return nil
}

// orgUnitAndBelow returns id and the ids of every org unit beneath it.
func (e *Engine) orgUnitAndBelow(ctx context.Context, tenantID, id string) ([]string, error) {
	children := map[string][]string{}
	p := avisera.Page{Limit: 1000}
	for {
		units, err := e.store.ListOrgUnits(ctx, tenantID, p)
		if err != nil {
			return nil, err
		}
		for _, o := range units {
			children[o.ParentID] = append(children[o.ParentID], o.ID)
		}
		if len(units) < p.Limit {
			break
		}
		p.After = units[len(units)-1].ID
	}
	out, seen := []string{id}, map[string]bool{id: true}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i]] {
			if !seen[c] { // a cycle (two concurrent moves) ends here
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// checkCursor refuses a time-ordered list's cursor that this API did not
// return: read as none, it would start the list again and a client
// following it would never reach the end.
func checkCursor(p avisera.Page) error {
	if _, _, ok := store.ParseCursor(p.After); p.After != "" && !ok {
		return avisera.Invalid("cursor", "is not a cursor this API returned")
	}
	return nil
}

// searchWords fills f's Words from its q, folded, and gives q and each of
// its words that looks like a phone number in any format (070-123 45 67,
// 0046…) the digits of its E.164 form, which is how SMS addresses are
// stored; a delivery matching either is listed.
func (e *Engine) searchWords(ctx context.Context, tenantID string, f *store.DeliveryFilter) error {
	words, whole := strings.Fields(fold.String(f.Q)), phone.LooksLike(f.Q)
	var region string
	if whole || slices.ContainsFunc(words, phone.LooksLike) {
		var err error
		if region, err = e.region(ctx, tenantID); err != nil {
			return err
		}
	}
	if whole {
		f.QPhone = phone.SearchKey(f.Q, region)
	}
	f.Words = make([]store.SearchWord, len(words))
	for i, w := range words {
		f.Words[i].Text = w
		if phone.LooksLike(w) {
			f.Words[i].Phone = phone.SearchKey(w, region)
		}
	}
	return nil
}

// maxSearchWords bounds the words of a follow-up search.
const maxSearchWords = 32

// CheckDeliveryFilter validates follow-up filters (exports check before
// they start streaming).
func CheckDeliveryFilter(f store.DeliveryFilter) error { return checkFilter(f) }

func checkFilter(f store.DeliveryFilter) error {
	for _, s := range f.Statuses {
		if !slices.Contains(avisera.Statuses, s) {
			return avisera.Invalid("status", "%q is not a status (%v)", s, avisera.Statuses)
		}
	}
	if f.Channel != "" && f.Channel != avisera.ChannelEmail && f.Channel != avisera.ChannelSMS {
		return avisera.Invalid("channel", "must be email or sms")
	}
	if n := len(strings.Fields(f.Q)); n > maxSearchWords { // each word is a condition; SQLite takes 1,000
		return avisera.Invalid("q", "has %d words; a search takes at most %d", n, maxSearchWords)
	}
	if err := checkTriggerFilter(f.EventType, f.Trigger); err != nil {
		return err
	}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		return avisera.Invalid("to", "must be after from")
	}
	return nil
}

// checkTriggerFilter refuses an event type or trigger that no delivery can
// have: a typo would otherwise list nothing, as if nothing had been sent.
func checkTriggerFilter(eventTypeName, trigger string) error {
	if eventTypeName != "" {
		et, err := eventType("event_type", eventTypeName)
		if err != nil {
			return err
		}
		if _, ok := et.Trigger(trigger); trigger != "" && !ok {
			return avisera.Invalid("trigger", "%q is not a trigger of %s", trigger, et.Name)
		}
		return nil
	}
	if trigger == "" || slices.ContainsFunc(catalog.All(), func(et catalog.EventType) bool {
		_, ok := et.Trigger(trigger)
		return ok
	}) {
		return nil
	}
	return avisera.Invalid("trigger", "%q is not a trigger of any event type", trigger)
}

// EachDelivery calls fn for every delivery matching f, newest first, a
// page at a time (exports stream through it).
func (e *Engine) EachDelivery(ctx context.Context, tenantID string, f store.DeliveryFilter, fn func(avisera.Delivery) error) error {
	if err := e.prepareFilter(ctx, tenantID, &f); err != nil {
		return err
	}
	p := avisera.Page{Limit: 500}
	for {
		items, err := e.store.ListDeliveries(ctx, tenantID, f, p)
		if err != nil {
			return err
		}
		for _, d := range items {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(items) < p.Limit {
			return nil
		}
		p.After = store.DeliveryCursor(items[len(items)-1])
	}
}

// GetDelivery returns a delivery with its content and full history.
func (e *Engine) GetDelivery(ctx context.Context, tenantID, id string) (avisera.Delivery, error) {
	d, err := e.store.GetDelivery(ctx, tenantID, id)
	return ownChannel(personalized(d)), notFound(err, "delivery", id)
}

// ownChannel keeps the content that went out on d's channel: an SMS shows
// its text, an email its HTML and plain text (an event's rendered content
// is stored once for both).
func ownChannel(d avisera.Delivery) avisera.Delivery {
	if d.Channel == avisera.ChannelSMS {
		d.HTML, d.Text = "", ""
	} else {
		d.SMS = ""
	}
	return d
}

// GetEvent returns an accepted event.
func (e *Engine) GetEvent(ctx context.Context, tenantID, id string) (avisera.Event, error) {
	ev, err := e.store.GetEvent(ctx, tenantID, id)
	return ev, notFound(err, "event", id)
}

// Resend sends a delivery's content again to the same address, as a new
// delivery of the same event.
func (e *Engine) Resend(ctx context.Context, tenantID, id string) (avisera.Delivery, error) {
	d, err := e.store.GetDelivery(ctx, tenantID, id)
	if err != nil {
		return d, notFound(err, "delivery", id)
	}
	if d.Address == "" || d.Status == avisera.StatusSuppressed {
		return d, avisera.Invalid("id", "delivery %s was never sendable (%s)", id, d.Detail)
	}
	if avisera.Pending(d.Status) {
		return d, avisera.Errorf(avisera.ECONFLICT, "delivery %s is still being sent (%s)", id, d.Status)
	}
	now := e.Now()
	n := d
	n.ID, n.Status, n.StatusAt, n.CreatedAt, n.Attempts = newID(), avisera.StatusQueued, now, now, 0
	n.Detail, n.SentAt, n.NextAttemptAt, n.History = "resent from "+d.ID, nil, nil, nil
	n.ProviderID = e.messageID(n)
	n.ReachedVia = d.ReachedVia + "; resent"
	if n.ContentID != "" {
		n.HTML, n.Text, n.SMS = "", "", "" // shared content, not copied
	}
	return n, e.store.Tx(ctx, func(s store.Store) error {
		if err := s.InsertDeliveries(ctx, tenantID, []avisera.Delivery{n}, nil); err != nil {
			return err
		}
		if e.queue == nil {
			return nil
		}
		_, err := e.queue.EnqueueSend(ctx, s, tenantID, []string{n.ID}, time.Time{})
		return err
	})
}
