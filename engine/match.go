package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/store"
)

// scene is what an event concerns, resolved once per event: the master
// data behind its refs, for recipients, templates and the follow-up report.
type scene struct {
	st        store.Store // reads of master data, remembered (see masterCache)
	tenant    avisera.Tenant
	ev        avisera.Event
	now       time.Time // when the event is planned
	customer  *avisera.Customer
	contract  *avisera.Contract
	orgUnit   *avisera.OrgUnit
	place     *avisera.Place
	users     []avisera.User
	unknown   map[string]string // ref kind → id the engine has never seen
	strangers map[string]bool   // users the engine has never seen
	data      map[string]any
	files     []avisera.File
	plans     []any // the plans of a schedule summary
}

// plan returns the deliveries an event makes, suppressed ones included.
func (e *Engine) plan(ctx context.Context, tenantID string, ev avisera.Event, et catalog.EventType, files []avisera.File) ([]avisera.Delivery, []avisera.Rendered, error) {
	sc, err := e.loadScene(ctx, tenantID, ev)
	if err != nil {
		return nil, nil, err
	}
	sc.files = files
	if len(files) > 0 {
		if sc.tenant, err = e.ensureSecrets(ctx, sc.tenant); err != nil {
			return nil, nil, err
		}
	}
	targets, err := e.TargetChain(ctx, sc.st, tenantID, ev.Subject, ev.Refs)
	if err != nil {
		return nil, nil, err
	}
	links, err := sc.st.ListLinks(ctx, tenantID, store.LinkFilter{Targets: targets, Trigger: ev.Trigger,
		EventType: ev.EventType})
	if err != nil {
		return nil, nil, err
	}
	return e.planLinks(ctx, sc, et, links)
}

// planLinks returns the deliveries the links make for the scene's event.
func (e *Engine) planLinks(ctx context.Context, sc *scene, et catalog.EventType, links []avisera.Link) ([]avisera.Delivery, []avisera.Rendered, error) {
	ev := sc.ev
	var cands []candidate
	for _, l := range links {
		if l.MessageArchived || !l.ValidAt(ev.OccurredAt) {
			continue
		}
		cs, err := e.recipients(ctx, sc, l)
		if err != nil {
			return nil, nil, err
		}
		cands = append(cands, cs...)
	}
	return e.render(ctx, sc, et, dedupe(cands))
}

// loadScene reads the event's refs; a contract or place brings its
// customer and org unit when the event does not name them.
func (e *Engine) loadScene(ctx context.Context, tenantID string, ev avisera.Event) (*scene, error) {
	rev, err := e.revisions.get(ctx, tenantID, func(ctx context.Context) (int64, error) {
		return e.store.MasterRevision(ctx, tenantID)
	})
	if err != nil {
		return nil, err
	}
	st := e.master.at(e.store, tenantID, rev)
	t, err := st.GetTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	sc := &scene{st: st, tenant: t, now: e.Now(), unknown: map[string]string{}, strangers: map[string]bool{}}
	sc.setEvent(ev)
	r := ev.Refs
	if r.Contract != "" {
		if k, err := sc.st.GetContract(ctx, tenantID, r.Contract); err == nil {
			sc.contract = &k
			r.Customer, r.OrgUnit = cmp.Or(r.Customer, k.CustomerID), cmp.Or(r.OrgUnit, k.OrgUnitID)
		} else if err := known(err, sc, "contract", r.Contract); err != nil {
			return nil, err
		}
	}
	if r.Place != "" {
		if p, err := sc.st.GetPlace(ctx, tenantID, r.Place); err == nil {
			sc.place = &p
			r.Customer, r.OrgUnit = cmp.Or(r.Customer, p.CustomerID), cmp.Or(r.OrgUnit, p.OrgUnitID)
		} else if err := known(err, sc, "place", r.Place); err != nil {
			return nil, err
		}
	}
	if err := e.loadCustomerAndUnit(ctx, tenantID, sc, r); err != nil {
		return nil, err
	}
	return sc, e.loadUsers(ctx, tenantID, sc, r.Users)
}

// setEvent makes ev the scene's event, with its data for the templates;
// the scene's master data stays that of the refs it was loaded for.
func (sc *scene) setEvent(ev avisera.Event) {
	sc.ev, sc.data = ev, map[string]any{}
	if len(ev.Data) > 0 {
		_ = json.Unmarshal(ev.Data, &sc.data) // validated as an object on accept
	}
}

func (e *Engine) loadCustomerAndUnit(ctx context.Context, tenantID string, sc *scene, r avisera.Refs) error {
	if r.Customer != "" {
		if c, err := sc.st.GetCustomer(ctx, tenantID, r.Customer); err == nil {
			sc.customer = &c
			r.OrgUnit = cmp.Or(r.OrgUnit, c.OrgUnitID)
		} else if err := known(err, sc, "customer", r.Customer); err != nil {
			return err
		}
	}
	if r.OrgUnit != "" {
		if o, err := sc.st.GetOrgUnit(ctx, tenantID, r.OrgUnit); err == nil {
			sc.orgUnit = &o
		} else if err := known(err, sc, "org_unit", r.OrgUnit); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) loadUsers(ctx context.Context, tenantID string, sc *scene, ids []string) error {
	for _, id := range ids {
		u, err := sc.st.GetUser(ctx, tenantID, id)
		if err == nil {
			sc.users = append(sc.users, u)
			continue
		}
		if err := absent(err); err != nil {
			return err
		}
		sc.strangers[id] = true
		sc.users = append(sc.users, avisera.User{ID: id, Name: id})
	}
	return nil
}

// known records a ref the engine has never seen; other errors pass.
func known(err error, sc *scene, kind, id string) error {
	if absent(err) == nil {
		sc.unknown[kind] = id
		return nil
	}
	return err
}

// orgUnitLanguage is the language of the event's org unit, if set.
func (sc *scene) orgUnitLanguage() string {
	if sc.orgUnit != nil {
		return sc.orgUnit.Language
	}
	return ""
}
