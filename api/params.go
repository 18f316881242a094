package api

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/avisera/avisera"
)

// misspeltParams refuses a query parameter that is not one of known but
// looks like one of them (customer=k1 for customer_id=k1, costumer_id,
// Status): the filter meant would be left out and the list hold
// everything, as if nothing else matched. Other parameters a client adds
// (a cache buster, another API's paging) are left alone.
func misspeltParams(r *http.Request, known ...string) error {
	for _, name := range slices.Sorted(maps.Keys(r.URL.Query())) {
		if slices.Contains(known, name) {
			continue
		}
		if meant := meantParam(name, known); meant != "" {
			return &avisera.Error{Code: avisera.EBADREQUEST, Field: name, Message: fmt.Sprintf(
				"is not a parameter of %s; did you mean %s? (it takes %s)", r.URL.Path, meant, strings.Join(known, ", "))}
		}
	}
	return nil
}

// meantParam returns the one of known that name most likely stands for:
// the same in another case or with a hyphen, without its _id or event_
// (customer, type), or two letters from it at most; "" when none is near.
func meantParam(name string, known []string) string {
	n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	if slices.Contains(known, n) {
		return n
	}
	if len(n) < 4 { // short names are near too much (id, to)
		return ""
	}
	for _, k := range known {
		if n+"_id" == k || "event_"+n == k {
			return k
		}
	}
	best, bestDistance := "", 3
	for _, k := range known {
		if d := editDistance(n, k); d < bestDistance {
			best, bestDistance = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
