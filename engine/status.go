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
	u := store.DeliveryUpdate{ID: d.ID, Status: d.Status, StatusAt: d.StatusAt, Detail: d.Detail,
		Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt, ProviderID: d.ProviderID, Segments: d.Segments,
		SentAt: d.SentAt}
	ch.Applied = callback.Advances(d.Status, ch.Status)
	if ch.Applied {
		u.Status, u.StatusAt, u.Detail = ch.Status, ch.At, ch.Detail
		e.metrics.DeliveryStatus(d.Channel, ch.Status)
	}
	u.History = []avisera.StatusChange{ch}
	return s.UpdateDeliveries(ctx, tenantID, []store.DeliveryUpdate{u})
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
