package engine

// SearchTerms exposes searchTerms to the external tests, which seed stores
// directly with the terms the engine would write.
var SearchTerms = searchTerms
