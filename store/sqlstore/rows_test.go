package sqlstore

import (
	"testing"
	"time"
)

func TestPgArray(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	rows := [][]any{{"a", at, 1, true}, {"b", nil, int64(2), false}}
	times, err := pgArray("timestamptz", rows, 1)
	if ts := times.([]*time.Time); err != nil || len(ts) != 2 || !ts[0].Equal(at) || ts[1] != nil {
		t.Errorf("timestamptz = %v, %v; want [%v <nil>]", times, err, at)
	}
	ints, err := pgArray("integer", rows, 2)
	if ns := ints.([]*int64); err != nil || *ns[0] != 1 || *ns[1] != 2 {
		t.Errorf("integer = %v, %v", ints, err)
	}
	if _, err := pgArray("text", rows, 2); err == nil {
		t.Error("an int in a text column was taken")
	}
	if _, err := pgArray("jsonb", rows, 0); err == nil {
		t.Error("an unknown type was taken")
	}
	args, unnest, err := unnestArgs([]column{{"id", "text"}, {"ok", "boolean"}}, [][]any{{"a", true}})
	if err != nil || len(args) != 2 || unnest != "unnest(?::text[], ?::boolean[])" {
		t.Errorf("unnestArgs = %v, %q, %v", args, unnest, err)
	}
}
