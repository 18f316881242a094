package engine

import (
	"slices"
	"sync"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// handoff holds the deliveries of the send jobs this process has just
// committed, as they were written, for each job's first run: a job that
// runs here for the first time takes them instead of reading them back
// with their contents. Nothing moves a delivery between its planning and
// its job's first run (a status report or a download needs a sent
// message), so they are what the database holds. A job that runs again,
// or in another process, or whose deliveries were pushed out by newer
// ones, reads the database as before. Keyed by the job's id, a retry job
// for the same deliveries never finds them.
type handoff struct {
	mu    sync.Mutex
	jobs  map[int64]handedJob
	order []int64 // the jobs in the order they came, for pushing out the oldest
	held  int     // deliveries held
}

type handedJob struct {
	tenantID string
	ds       []avisera.Delivery
}

// maxHandedDeliveries bounds what the handoff holds: jobs that ran in
// another process leave theirs until newer ones push them out. A
// delivery's own fields are a few hundred bytes; its content is shared
// with its event's other deliveries.
const maxHandedDeliveries = 20000

func newHandoff() *handoff { return &handoff{jobs: map[int64]handedJob{}} }

// put keeps job's deliveries.
func (h *handoff) put(job int64, tenantID string, ds []avisera.Delivery) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.jobs[job] = handedJob{tenantID: tenantID, ds: ds}
	h.order = append(h.order, job)
	h.held += len(ds)
	for h.held > maxHandedDeliveries && len(h.order) > 0 {
		h.drop(h.order[0])
		h.order = h.order[1:]
	}
	if len(h.order) > 2*len(h.jobs)+1024 { // mostly jobs taken since: forget them
		h.order = slices.DeleteFunc(h.order, func(id int64) bool { _, held := h.jobs[id]; return !held })
	}
}

// take returns and forgets job's deliveries, if it holds them for the
// tenant and the ids the job names.
func (h *handoff) take(job int64, tenantID string, ids []string) ([]avisera.Delivery, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	j, ok := h.jobs[job]
	if !ok {
		return nil, false
	}
	h.drop(job) // its place in order goes when it comes first
	if j.tenantID != tenantID || !slices.EqualFunc(j.ds, ids, func(d avisera.Delivery, id string) bool { return d.ID == id }) {
		return nil, false
	}
	return j.ds, true
}

func (h *handoff) drop(job int64) {
	if j, ok := h.jobs[job]; ok {
		h.held -= len(j.ds)
		delete(h.jobs, job)
	}
}

// handed are the send jobs a transaction inserted, with the deliveries of
// the events it stored: put in the handoff once it has committed.
type handed struct {
	jobs []enqueuedJob
	es   []store.NewEvent
}

type enqueuedJob struct {
	id       int64
	tenantID string
	ids      []string
}

// publish puts the jobs' deliveries in the handoff, with their contents
// filled in as the store fills them in when it reads them.
func (h *handoff) publish(hd handed) {
	if len(hd.jobs) == 0 { // no queue: nothing will ask
		return
	}
	byID := map[string]avisera.Delivery{}
	for _, e := range hd.es {
		contents := make(map[string]avisera.Rendered, len(e.Contents))
		for _, c := range e.Contents {
			contents[c.ID] = c
		}
		for _, d := range e.Deliveries {
			if c, ok := contents[d.ContentID]; ok {
				d.HTML, d.Text, d.SMS, d.Personal = c.HTML, c.Text, c.SMS, c.Personal
			}
			byID[d.ID] = d
		}
	}
jobs:
	for _, j := range hd.jobs {
		ds := make([]avisera.Delivery, 0, len(j.ids))
		for _, id := range j.ids {
			d, ok := byID[id]
			if !ok {
				continue jobs // not planned by these events: the job reads the database
			}
			ds = append(ds, d)
		}
		h.put(j.id, j.tenantID, ds)
	}
}
