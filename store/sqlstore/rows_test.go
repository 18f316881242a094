package sqlstore

import (
	"testing"
	"time"
)

func TestPgArray(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	later := at.Add(time.Hour)
	rows := [][]any{{"a", at, 1, true, nil}, {"b", nil, int64(2), false, "x"}, {"c", later, 3, true, nil}}
	// A column with a NULL becomes pointers, whether the NULL comes first
	// or after values; one without becomes values.
	times, err := pgArray("timestamptz", rows, 1)
	if ts, ok := times.([]*time.Time); err != nil || !ok || len(ts) != 3 || !ts[0].Equal(at) || ts[1] != nil || !ts[2].Equal(later) {
		t.Errorf("timestamptz = %v, %v; want [%v <nil> %v]", times, err, at, later)
	}
	texts, err := pgArray("text", rows, 4)
	if ts, ok := texts.([]*string); err != nil || !ok || len(ts) != 3 || ts[0] != nil || *ts[1] != "x" || ts[2] != nil {
		t.Errorf("text = %v, %v; want [<nil> x <nil>]", texts, err)
	}
	ints, err := pgArray("integer", rows, 2)
	if ns, ok := ints.([]int64); err != nil || !ok || len(ns) != 3 || ns[0] != 1 || ns[1] != 2 || ns[2] != 3 {
		t.Errorf("integer = %#v, %v; want []int64{1, 2, 3}", ints, err)
	}
	bools, err := pgArray("boolean", rows, 3)
	if bs, ok := bools.([]bool); err != nil || !ok || len(bs) != 3 || !bs[0] || bs[1] || !bs[2] {
		t.Errorf("boolean = %#v, %v; want []bool{true, false, true}", bools, err)
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
