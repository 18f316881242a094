package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/callback"
	"github.com/avisera/avisera/store"
)

// applyStatus records a status change reported after sending (a callback,
// a download) in the delivery's history, and moves the delivery only when
// the state machine allows it: late, repeated or out-of-order reports never
// move it backwards.
func (e *Engine) applyStatus(ctx context.Context, s store.Store, tenantID, deliveryID string, ch avisera.StatusChange) error {
	ds, err := s.GetDeliveries(ctx, tenantID, []string{deliveryID})
	if err != nil || len(ds) == 0 {
		return err
	}
	d := ds[0]
	us := []store.DeliveryUpdate{{ID: d.ID, Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt,
		ProviderID: d.ProviderID, Segments: d.Segments, SentAt: d.SentAt, History: []avisera.StatusChange{ch}}}
	follow(&us[0], d)
	if err := record(ctx, s, tenantID, us, follow); err != nil {
		return err
	}
	if us[0].History[0].Applied {
		e.metrics.DeliveryStatus(d.Channel, us[0].Status)
	}
	return nil
}

// record stores delivery updates worked out from the statuses they saw. A
// delivery another writer moved meanwhile (a provider's report during the
// send, a retry during a report) has its update worked out again from
// where it is now with rebase (follow, followSend), so no status is
// overwritten: us is changed in place.
func record(ctx context.Context, s store.Store, tenantID string, us []store.DeliveryUpdate,
	rebase func(*store.DeliveryUpdate, avisera.Delivery)) error {
	todo := us
	for range maxRaces {
		stale, err := s.UpdateDeliveries(ctx, tenantID, todo)
		if err != nil || len(stale) == 0 {
			return err
		}
		ds, err := s.GetDeliveries(ctx, tenantID, stale)
		if err != nil {
			return err
		}
		now := map[string]avisera.Delivery{}
		for _, d := range ds {
			now[d.ID] = d
		}
		todo = nil
		for i := range us {
			if d, ok := now[us[i].ID]; ok {
				rebase(&us[i], d)
				todo = append(todo, us[i])
			}
		}
	}
	return errRaces
}

// maxRaces bounds how often a status update is worked out again because
// another writer moved the delivery first.
const maxRaces = 5

var errRaces = errors.New("the delivery kept changing while its status was recorded")

// follow works update u out from delivery d's present status: each of its
// history entries is applied in turn when the state machine lets it move
// the delivery (callback.Advances) and recorded as history only when not;
// the delivery ends in the last applied entry's status, or keeps its own.
// The send's own facts in u (attempts, provider id, segments, sent time)
// stay.
func follow(u *store.DeliveryUpdate, d avisera.Delivery) {
	u.Status, u.StatusAt, u.Detail, u.Seen, u.SeenAttempts = d.Status, d.StatusAt, d.Detail, d.Status, d.Attempts
	moved := false
	for i, h := range u.History {
		u.History[i].Applied = callback.Advances(u.Status, h.Status)
		if u.History[i].Applied {
			u.Status, u.StatusAt, u.Detail, moved = h.Status, h.At, h.Detail, true
		}
	}
	switch {
	case u.Status != avisera.StatusDeferred:
		u.NextAttemptAt = nil
	case !moved:
		u.NextAttemptAt = d.NextAttemptAt
	}
}

// ApplyUpdates applies provider callbacks to the tenant's deliveries,
// found by our reference or by the provider's message id. Updates for
// deliveries that cannot be found are counted and skipped.
func (e *Engine) ApplyUpdates(ctx context.Context, tenantID string, us []callback.Update) (applied, unknown int, err error) {
	for _, u := range us {
		id, err := e.findDelivery(ctx, tenantID, u)
		if errors.Is(err, store.ErrNotFound) {
			unknown++
			continue
		}
		if err != nil {
			return applied, unknown, err
		}
		at := u.At
		if at.IsZero() {
			at = e.Now()
		}
		detail := u.Event
		if u.Detail != "" {
			detail += ": " + u.Detail
		}
		status := u.Status
		if status == "" {
			status = "note" // record-only event: history, no status
		}
		err = e.store.Tx(ctx, func(s store.Store) error {
			return e.applyStatus(ctx, s, tenantID, id, avisera.StatusChange{Status: status, At: at.UTC(), Detail: detail})
		})
		if err != nil {
			return applied, unknown, err
		}
		applied++
	}
	return applied, unknown, nil
}

func (e *Engine) findDelivery(ctx context.Context, tenantID string, u callback.Update) (string, error) {
	if u.Reference != "" {
		if ds, err := e.store.GetDeliveries(ctx, tenantID, []string{u.Reference}); err == nil && len(ds) == 1 {
			return u.Reference, nil // found without reading its history
		}
	}
	providerID := strings.Trim(u.ProviderID, "<>")
	if providerID == "" {
		return "", store.ErrNotFound
	}
	// An email's Message-ID is <delivery id@domain> (see EmailSender).
	if id, _, ok := strings.Cut(providerID, "@"); ok {
		ds, err := e.store.GetDeliveries(ctx, tenantID, []string{id})
		if err != nil {
			return "", err
		}
		if len(ds) == 1 && ds[0].ProviderID == providerID {
			return id, nil
		}
	}
	d, err := e.store.SMSByProviderID(ctx, tenantID, providerID)
	return d.ID, err
}
