package catalog

import (
	"reflect"
	"strings"
	"testing"
)

func TestAllTriggers(t *testing.T) {
	t.Parallel()
	// DESIGN §4, in its order.
	want := []struct {
		name     string
		triggers []string
	}{
		{"work_shift", []string{"started", "ended", "not_started", "reminder", "weekly", "monthly", "dates"}},
		{"order", []string{"reminder", "started", "completed", "not_started", "not_performed", "approved", "rejected"}},
		{"activity", []string{"reported", "not_reported"}},
		{"room_inspection", []string{"completed", "failed", "reminder", "not_performed"}},
		{"unit_inspection", []string{"completed", "failed", "reminder", "not_performed"}},
		{"deviation", []string{"reported", "resolved"}},
	}
	all := All()
	if len(all) != len(want) {
		t.Fatalf("len(All()) = %d, want %d", len(all), len(want))
	}
	for i, w := range want {
		if got := all[i].Name; got != w.name {
			t.Errorf("All()[%d].Name = %q, want %q", i, got, w.name)
		}
		var got []string
		for _, tr := range all[i].Triggers {
			got = append(got, tr.Name)
		}
		if !reflect.DeepEqual(got, w.triggers) {
			t.Errorf("%s triggers = %v, want %v", w.name, got, w.triggers)
		}
	}
}

func TestTriggerFlags(t *testing.T) {
	t.Parallel()
	timeBased := map[string]bool{"reminder": true, "not_started": true, "not_performed": true,
		"not_reported": true, "weekly": true, "monthly": true, "dates": true}
	periodic := map[string]bool{"weekly": true, "monthly": true, "dates": true}
	for _, et := range All() {
		for _, tr := range et.Triggers {
			if tr.TimeBased != timeBased[tr.Name] {
				t.Errorf("%s.%s TimeBased = %v, want %v", et.Name, tr.Name, tr.TimeBased, timeBased[tr.Name])
			}
			if tr.Periodic != periodic[tr.Name] {
				t.Errorf("%s.%s Periodic = %v, want %v", et.Name, tr.Name, tr.Periodic, periodic[tr.Name])
			}
			if tr.LabelSV == "" || tr.LabelEN == "" {
				t.Errorf("%s.%s has an empty label", et.Name, tr.Name)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, trigger string
		wantType      bool
		wantTrigger   bool
	}{
		{"order", "completed", true, true},
		{"order", "ended", true, false},
		{"work_shift", "weekly", true, true},
		{"room_inspection", "failed", true, true},
		{"deviation", "resolved", true, true},
		{"invoice", "sent", false, false},
		{"", "", false, false},
		{"Order", "completed", false, false},
	}
	for _, tt := range tests {
		et, ok := Lookup(tt.name)
		if ok != tt.wantType {
			t.Errorf("Lookup(%q) ok = %v, want %v", tt.name, ok, tt.wantType)
			continue
		}
		tr, ok := et.Trigger(tt.trigger)
		if ok != tt.wantTrigger || (ok && tr.Name != tt.trigger) {
			t.Errorf("Lookup(%q).Trigger(%q) = %q, %v, want ok %v", tt.name, tt.trigger, tr.Name, ok, tt.wantTrigger)
		}
	}
}

func TestHasToken(t *testing.T) {
	t.Parallel()
	tokens := []string{"performer", "customer_contacts", "contract_contacts", "org_unit_contacts", "place_contacts"}
	for _, et := range All() {
		for _, tok := range tokens {
			if !et.HasToken(tok) {
				t.Errorf("%s.HasToken(%q) = false, want true", et.Name, tok)
			}
		}
		for _, tok := range []string{"", "everyone", "Performer"} {
			if et.HasToken(tok) {
				t.Errorf("%s.HasToken(%q) = true, want false", et.Name, tok)
			}
		}
	}
}

func TestAllIsACopy(t *testing.T) {
	t.Parallel()
	all := All()
	all[0].Name = "changed"
	if got := All()[0].Name; got != "work_shift" {
		t.Errorf("All()[0].Name after changing a copy = %q, want %q", got, "work_shift")
	}
}

// TestVariablesWellFormed checks the declarations every editor and check
// relies on: labels, types, unique names, declared parents, the DESIGN §4
// top-level names and samples on every leaf.
func TestVariablesWellFormed(t *testing.T) {
	t.Parallel()
	roots := map[string]bool{"event": true, "customer": true, "contract": true, "org_unit": true,
		"place": true, "order": true, "work_shift": true, "activity": true, "inspection": true,
		"deviation": true, "user": true, "performers": true, "recipient": true, "files": true,
		"data": true, "plans": true}
	types := map[string]bool{TypeString: true, TypeTime: true, TypeNumber: true, TypeBool: true,
		TypeList: true, TypeObject: true}
	for _, et := range All() {
		seen := map[string]bool{}
		for _, v := range et.Variables {
			switch {
			case seen[v.Name]:
				t.Errorf("%s: %q declared twice", et.Name, v.Name)
			case !roots[strings.Split(v.Name, ".")[0]]:
				t.Errorf("%s: %q is not under a DESIGN §4 top-level name", et.Name, v.Name)
			case !types[v.Type]:
				t.Errorf("%s: %q has type %q", et.Name, v.Name, v.Type)
			case v.LabelSV == "" || v.LabelEN == "":
				t.Errorf("%s: %q has an empty label", et.Name, v.Name)
			case v.Type != TypeObject && v.Sample == nil:
				t.Errorf("%s: %q has no sample", et.Name, v.Name)
			}
			if i := strings.LastIndexByte(v.Name, '.'); i > 0 && !seen[v.Name[:i]] {
				t.Errorf("%s: %q is declared before (or without) its parent %q", et.Name, v.Name, v.Name[:i])
			}
			seen[v.Name] = true
		}
		for _, want := range []string{"event.occurred_at", "customer.name", "contract.name", "org_unit.name",
			"place.address", "performers.name", "recipient.name", "files.url"} {
			if !seen[want] {
				t.Errorf("%s: %q is not declared", et.Name, want)
			}
		}
	}
}

func TestSubjectVariables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  string
		want []string
	}{
		{"order", []string{"order.number", "order.name", "order.planned_start", "order.earliest_start",
			"order.latest_start", "order.actual_start", "order.actual_end", "order.instruction",
			"order.comment", "order.activities.name"}},
		{"work_shift", []string{"user.name", "work_shift.planned_start", "work_shift.planned_end",
			"work_shift.actual_start", "work_shift.actual_end", "work_shift.delay_minutes",
			"work_shift.comment", "plans.starts_at"}},
		{"room_inspection", []string{"inspection.result", "inspection.pass_limit", "inspection.inspector",
			"inspection.rooms.score"}},
		{"unit_inspection", []string{"inspection.result", "inspection.units.name", "inspection.units.score"}},
		{"activity", []string{"activity.name", "activity.status", "order.number"}},
		{"deviation", []string{"deviation.title", "deviation.description", "deviation.resolution"}},
	}
	for _, tt := range tests {
		et, _ := Lookup(tt.typ)
		for _, name := range tt.want {
			if _, ok := et.Variable(name); !ok {
				t.Errorf("%s.Variable(%q) not found", tt.typ, name)
			}
		}
	}
}
