package engine

import "github.com/avisera/avisera"

// SearchTerms exposes searchTerms to the external tests, which seed stores
// directly with the terms the engine would write.
var SearchTerms = searchTerms

// HandedOff takes what the handoff holds for a send job's first run.
func (e *Engine) HandedOff(job int64, tenantID string, ids []string) ([]avisera.Delivery, bool) {
	return e.handoff.take(job, tenantID, ids)
}
