package sqlstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// A delivery's status history is kept on its row, in the column history:
// one JSON object per change (avisera.StatusChange's JSON), a line each,
// in the order they were recorded. A new delivery is written with its
// first status in it and each update appends its changes in the statement
// that moves the row, so recording a send is one row's update, not an
// update and new rows.

// historyLines encodes changes as lines to append to a history column,
// their times at the database's resolution (res, zero for nanoseconds):
// a change's time then reads back as the delivery's status_at does.
func historyLines(res time.Duration, hs ...avisera.StatusChange) string {
	var b strings.Builder
	for _, h := range hs {
		h.At = h.At.UTC().Truncate(res)
		line, err := json.Marshal(h)
		if err != nil { // strings and a time: cannot happen
			panic(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// parseHistory decodes a history column, ordered by time; changes recorded
// at the same time keep the order they were recorded in.
func parseHistory(s string) ([]avisera.StatusChange, error) {
	var hs []avisera.StatusChange
	for line := range strings.Lines(s) {
		var h avisera.StatusChange
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			return nil, fmt.Errorf("delivery history line %d: %w", len(hs)+1, err)
		}
		hs = append(hs, h)
	}
	slices.SortStableFunc(hs, func(a, b avisera.StatusChange) int { return a.At.Compare(b.At) })
	return hs, nil
}
