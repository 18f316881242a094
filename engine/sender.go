package engine

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/callback"
	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/store"
)

// EmailSender sends a batch of emails for a tenant; results are in order.
// It names a delivery's Message-ID before the delivery is sent: the engine
// records it with the new delivery, sends every attempt under it (a
// retried message is the same message), finds the delivery again by it
// when a callback names it, and leaves the delivery's indexed columns
// alone when an outcome is recorded, which lets PostgreSQL update the row
// in place.
type EmailSender interface {
	SendEmail(ctx context.Context, tenantID string, msgs []*email.Message) []email.Result
	// MessageID returns the Message-ID, without brackets, of the email
	// of deliveryID: deliveryID@domain.
	MessageID(deliveryID string) string
}

// SMSSender sends one SMS for a tenant.
type SMSSender interface {
	SendSMS(ctx context.Context, tenantID string, m sms.Message) (sms.Result, error)
}

// SMTP adapts an *email.Sender, which serves every tenant, to EmailSender.
type SMTP struct{ Sender *email.Sender }

// SendEmail implements EmailSender.
func (s SMTP) SendEmail(ctx context.Context, _ string, msgs []*email.Message) []email.Result {
	return s.Sender.Send(ctx, msgs)
}

// MessageID implements EmailSender.
func (s SMTP) MessageID(deliveryID string) string { return s.Sender.MessageID(deliveryID) }

// messageID returns the Message-ID (without brackets) of an email
// delivery, "" for an SMS.
func (e *Engine) messageID(d avisera.Delivery) string {
	if d.Channel == avisera.ChannelEmail {
		return e.email.MessageID(d.ID)
	}
	return ""
}

// SMSProvider adapts an sms.Provider to SMSSender, with the sender id.
type SMSProvider struct {
	Provider sms.Provider
	From     string
}

// SendSMS implements SMSSender.
func (p SMSProvider) SendSMS(ctx context.Context, _ string, m sms.Message) (sms.Result, error) {
	if m.From == "" {
		m.From = p.From
	}
	return p.Provider.Send(ctx, m)
}

// RetryPolicy says how temporary failures are retried: exponential backoff
// from Base, doubled per attempt up to Cap, with ±20 % jitter, until a
// delivery is MaxAge old: the last try comes then, and if it fails too the
// delivery expires.
type RetryPolicy struct {
	Base, Cap, MaxAge time.Duration
}

// DefaultRetryPolicy retries after 30 s, 1 min, 2 min … up to every hour,
// for 24 hours.
var DefaultRetryPolicy = RetryPolicy{Base: 30 * time.Second, Cap: time.Hour, MaxAge: 24 * time.Hour}

// next returns when attempt n (1-based) that failed should be retried.
func (p RetryPolicy) next(now time.Time, attempts int) time.Time {
	d := p.Base
	for i := 1; i < attempts && d < p.Cap; i++ {
		d *= 2
	}
	d = min(d, p.Cap)
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	return now.Add(d + jitter)
}

// outcome is the result of one send attempt.
type outcome struct {
	providerID string
	segments   int
	err        error
	temporary  bool
	retryAfter time.Duration
	status     string // the terminal status of a permanent failure
	detail     string
}

// classify maps a sender's error onto the delivery state machine.
func classify(err error) outcome {
	o := outcome{err: err, detail: err.Error()}
	var me *email.SendError
	var se *sms.SendError
	switch {
	case errors.As(err, &me):
		o.temporary, o.detail = me.Temporary, cmp.Or(me.Reply, err.Error())
		o.status = emailFailure(me)
	case errors.As(err, &se):
		o.temporary, o.retryAfter, o.detail = se.Temporary, se.RetryAfter, strings.TrimPrefix(se.Error(), "sms: ")
		o.status = avisera.StatusFailed
		if se.BadNumber {
			o.status = avisera.StatusInvalidAddress
		}
	default:
		o.temporary = true
	}
	return o
}

// emailFailure tells a bounce (the mailbox does not exist) from a refusal.
func emailFailure(e *email.SendError) string {
	switch {
	case e.Code == 0 && strings.Contains(e.Error(), "email: to:"):
		return avisera.StatusInvalidAddress
	case e.Code == 0:
		return avisera.StatusFailed
	case e.Code == 550 || e.Code == 551 || e.Code == 553 || strings.Contains(e.Reply, " 5.1."):
		return avisera.StatusBounced
	}
	return avisera.StatusRejected
}

// interrupted is the detail of a send that repeats an unfinished one.
const interrupted = "the send job runs again (its earlier run did not finish: a process stopped or the outcome " +
	"could not be recorded), so an earlier copy may already have arrived"

// SendDeliveries sends the deliveries among ids that are still pending (a
// job of package queue, its id job) and records the outcome in one
// transaction. Temporary failures are deferred and get a retry job; a
// delivery older than the policy's MaxAge expires. again says the job ran
// before without finishing: its sends are marked in the history as
// possible duplicates. A job's first run in the process that planned it
// takes its deliveries from there (handoff), any other reads them.
func (e *Engine) SendDeliveries(ctx context.Context, job int64, tenantID string, ids []string, again bool) error {
	ds, handed := e.handoff.take(job, tenantID, ids) // taken either way: a run again leaves nothing behind
	if !handed || again {
		var err error
		if ds, err = e.store.GetDeliveries(ctx, tenantID, ids); err != nil {
			return err
		}
	}
	pending := ds[:0]
	for _, d := range ds {
		if avisera.Pending(d.Status) {
			pending = append(pending, personalized(d))
		}
	}
	t, err := e.store.GetTenant(ctx, tenantID)
	if err != nil {
		return err
	}
	if t, err = e.ensureSecrets(ctx, t); err != nil {
		return err
	}
	started := e.Now()
	outcomes := e.attempt(ctx, t, pending)
	updates, retryAt := e.settle(pending, outcomes, started)
	e.logFailures(tenantID, pending, updates)
	if again {
		for i := range updates {
			updates[i].History[0].Detail = interrupted
		}
	}
	// Lost results (a database crash right now) mean a resend, as for a
	// crash of this process: the commit need not wait for the disk.
	err = e.store.LazyTx(ctx, func(s store.Store) error {
		if err := record(ctx, s, tenantID, updates, followSend); err != nil {
			return err
		}
		var retry []string
		for _, u := range updates {
			if u.Status == avisera.StatusDeferred {
				retry = append(retry, u.ID)
			}
		}
		if len(retry) > 0 && e.queue != nil {
			_, err := e.queue.EnqueueSend(ctx, s, tenantID, retry, retryAt)
			return err
		}
		return nil
	})
	if err == nil {
		e.observe(pending, updates)
	}
	return err
}

// observe counts the recorded outcomes of sends: the statuses they moved
// their deliveries to (not an outcome a provider's report had overtaken)
// and the time from each delivery's acceptance to its attempt's outcome.
func (e *Engine) observe(ds []avisera.Delivery, us []store.DeliveryUpdate) {
	for i, u := range us {
		outcome := u.History[len(u.History)-1]
		if outcome.Applied {
			e.metrics.DeliveryStatus(ds[i].Channel, outcome.Status)
		}
		e.metrics.SendLatency(ds[i].Channel, outcome.At.Sub(ds[i].CreatedAt).Seconds())
	}
}

// logFailures logs, per channel and status, how many sends of a batch
// failed or were deferred, with the first one's reply: an operator sees a
// refused password or a server that is down without opening deliveries.
func (e *Engine) logFailures(tenantID string, ds []avisera.Delivery, us []store.DeliveryUpdate) {
	type key struct{ channel, status string }
	count := map[key]int{}
	var order []key
	first := map[key]int{}
	for i, u := range us {
		if u.Status == avisera.StatusSent {
			continue
		}
		k := key{ds[i].Channel, u.Status}
		if count[k] == 0 {
			order, first[k] = append(order, k), i
		}
		count[k]++
	}
	for _, k := range order {
		i := first[k]
		e.logger.Warn("send failed", "tenant", tenantID, "channel", k.channel, "status", k.status,
			"deliveries", count[k], "delivery", us[i].ID, "detail", redact(us[i].Detail))
	}
}

var (
	emailLocal = regexp.MustCompile(`[^\s<>"'@:,;()\[\]=]+@`)
	longNumber = regexp.MustCompile(`\+?\d[\d ]{5,}\d`)
)

// redact keeps recipients' addresses out of the log (the delivery id finds
// them): an email keeps its domain, a phone number none of its digits.
func redact(detail string) string {
	return longNumber.ReplaceAllString(emailLocal.ReplaceAllString(detail, "…@"), "…")
}

// followSend works a send's update out again from delivery d's present
// status (see follow). Once the provider has reported the message sent or
// beyond, an attempt that failed for a passing reason (no answer in time,
// a dropped connection) changes nothing: it is history only, and the
// message is not sent again.
func followSend(u *store.DeliveryUpdate, d avisera.Delivery) {
	reported := callback.Rank(d.Status) >= callback.Rank(avisera.StatusSent)
	follow(u, d)
	if !reported || (u.Status != avisera.StatusDeferred && u.Status != avisera.StatusExpired) {
		return
	}
	for i, h := range u.History {
		if h.Status == u.Status && h.Applied {
			u.History[i].Applied = false
		}
	}
	u.Status, u.StatusAt, u.Detail, u.NextAttemptAt = d.Status, d.StatusAt, d.Detail, d.NextAttemptAt
}

// settle turns outcomes into delivery updates and the time of the retry.
func (e *Engine) settle(ds []avisera.Delivery, os []outcome, started time.Time) ([]store.DeliveryUpdate, time.Time) {
	now := e.Now()
	var retryAt time.Time
	updates := make([]store.DeliveryUpdate, len(ds))
	for i, d := range ds {
		u := store.DeliveryUpdate{ID: d.ID, Attempts: d.Attempts + 1, StatusAt: now, ProviderID: d.ProviderID,
			Segments: d.Segments, Seen: d.Status, SeenAttempts: d.Attempts}
		u.History = []avisera.StatusChange{{Status: avisera.StatusSending, At: started, Applied: true}}
		o := os[i]
		switch {
		case o.err == nil:
			u.Status, u.ProviderID, u.SentAt = avisera.StatusSent, o.providerID, &now
			if o.segments > 0 {
				u.Segments = o.segments
			}
		case o.temporary:
			deadline := d.CreatedAt.Add(e.policy.MaxAge)
			if !now.Before(deadline) {
				u.Status, u.Detail = avisera.StatusExpired, "gave up after "+e.policy.MaxAge.String()+": "+o.detail
				break
			}
			next := e.policy.next(now, u.Attempts)
			if ra := now.Add(o.retryAfter); ra.After(next) {
				next = ra
			}
			if next.After(deadline) { // the last try comes when the delivery is MaxAge old
				next = deadline
			}
			u.Status, u.Detail, u.NextAttemptAt = avisera.StatusDeferred, o.detail, &next
			if retryAt.IsZero() || next.Before(retryAt) {
				retryAt = next
			}
		default:
			u.Status, u.Detail = o.status, o.detail
		}
		u.History = append(u.History, avisera.StatusChange{Status: u.Status, At: now, Detail: u.Detail, Applied: true})
		updates[i] = u
	}
	return updates, retryAt
}

// attempt sends the deliveries: emails as one batch over the SMTP pool,
// SMS one by one, in parallel.
func (e *Engine) attempt(ctx context.Context, t avisera.Tenant, ds []avisera.Delivery) []outcome {
	out := make([]outcome, len(ds))
	var mails []*email.Message
	var mailIdx, smsIdx []int
	attach := e.attachments(ctx, t.ID, ds)
	for i, d := range ds {
		if d.Channel == avisera.ChannelEmail {
			mails = append(mails, &email.Message{From: t.Settings.EmailFrom, FromName: cmp.Or(t.Settings.EmailName, t.Name),
				To: d.Address, ToName: d.RecipientName, Subject: d.Subject, Text: d.Text, HTML: d.HTML,
				MessageID: d.ProviderID, Headers: map[string]string{"X-Avisera-Delivery": d.ID}, Attachments: attach[d.EventID]})
			mailIdx = append(mailIdx, i)
		} else {
			smsIdx = append(smsIdx, i)
		}
	}
	if len(mails) > 0 {
		for j, r := range e.email.SendEmail(ctx, t.ID, mails) {
			out[mailIdx[j]] = outcomeOf(strings.Trim(r.MessageID, "<>"), 0, r.Err)
		}
	}
	e.attemptSMS(ctx, t, ds, smsIdx, out)
	return out
}

// attachments loads, per event, the reports to attach: all of them while
// their total stays within the attach limit, else none (links only).
func (e *Engine) attachments(ctx context.Context, tenantID string, ds []avisera.Delivery) map[string][]email.Attachment {
	out := map[string][]email.Attachment{}
	if e.attachMax <= 0 {
		return out
	}
	for _, d := range ds {
		if _, done := out[d.EventID]; done || d.Channel != avisera.ChannelEmail {
			continue
		}
		out[d.EventID] = nil
		ev, err := e.store.GetEvent(ctx, tenantID, d.EventID)
		if err != nil || len(ev.Files) == 0 {
			continue
		}
		out[d.EventID] = e.loadAttachments(ctx, tenantID, ev.Files)
	}
	return out
}

func (e *Engine) loadAttachments(ctx context.Context, tenantID string, ids []string) []email.Attachment {
	var total int64
	var atts []email.Attachment
	for _, id := range ids {
		f, data, err := e.store.GetFile(ctx, tenantID, id, true)
		if err != nil {
			return nil
		}
		if total += f.Size; total > e.attachMax {
			return nil
		}
		atts = append(atts, email.Attachment{Name: f.Name, ContentType: f.ContentType, Data: data})
	}
	return atts
}

func outcomeOf(providerID string, segments int, err error) outcome {
	if err != nil {
		return classify(err)
	}
	return outcome{providerID: providerID, segments: segments}
}

// attemptSMS sends SMS with a few in flight at once.
func (e *Engine) attemptSMS(ctx context.Context, t avisera.Tenant, ds []avisera.Delivery, idx []int, out []outcome) {
	snd, err := e.smsFor(t)
	if err != nil {
		for _, i := range idx {
			out[i] = outcome{err: err, temporary: true, detail: "SMS provider: " + err.Error()}
		}
		return
	}
	provider, _, _ := e.SMSCredentials(t)
	sem := make(chan struct{}, 8)
	done := make(chan struct{}, len(idx))
	for _, i := range idx {
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; done <- struct{}{} }()
			d := ds[i]
			m := sms.Message{To: d.Address, From: cmp.Or(t.Settings.SMSFrom, e.smsDefaults.From), Text: d.SMS, Reference: d.ID}
			if provider != "" && provider != "dev" {
				m.CallbackURL = e.webhookURL(t, provider) + "?reference=" + d.ID
			}
			r, err := snd.SendSMS(ctx, t.ID, m)
			out[i] = outcomeOf(r.ProviderID, r.Segments, err)
		}(i)
	}
	for range idx {
		<-done
	}
}
