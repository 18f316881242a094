package engine

import (
	"errors"
	"testing"

	"github.com/avisera/avisera"
)

func TestCheckSchedule(t *testing.T) {
	t.Parallel()
	dates := func(period string) avisera.Schedule {
		return avisera.Schedule{Dates: []string{"2026-12-14"}, Period: period}
	}
	for _, tt := range []struct {
		trigger string
		sch     avisera.Schedule
		field   string // "" when valid
	}{
		{"weekly", avisera.Schedule{Weekday: "Monday"}, ""},
		{"weekly", avisera.Schedule{Weekday: "mondag"}, "schedule.weekday"},
		{"monthly", avisera.Schedule{DayOfMonth: -1}, ""},
		{"monthly", avisera.Schedule{DayOfMonth: 31}, "schedule.day_of_month"},
		{"dates", avisera.Schedule{}, "schedule.dates"},
		{"dates", avisera.Schedule{Dates: []string{"2026-12-14", "14/12"}}, "schedule.dates[1]"},
		{"dates", dates(""), ""},
		{"dates", dates("14d"), ""},
		{"dates", dates("36h"), "schedule.period"},
		{"dates", dates("-7d"), "schedule.period"},
		{"dates", dates("soon"), "schedule.period"},
		{"not_started", avisera.Schedule{Weekday: "monday"}, "schedule"},
	} {
		err := checkSchedule(&avisera.Link{Trigger: tt.trigger, Schedule: tt.sch})
		var inv *avisera.Error
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s %+v: %v, want valid", tt.trigger, tt.sch, err)
		case tt.field != "" && (!errors.As(err, &inv) || inv.Code != avisera.EINVALID || inv.Field != tt.field):
			t.Errorf("%s %+v: %v, want invalid %s", tt.trigger, tt.sch, err, tt.field)
		}
	}
}
