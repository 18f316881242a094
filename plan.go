package avisera

import (
	"encoding/json"
	"time"
)

// Plan statuses.
const (
	PlanActive    = "active"
	PlanCancelled = "cancelled"
)

// Plan is a business object the host announces in advance — a work shift
// for users from–to, an order visit or inspection with its window — so
// that time-based triggers (reminders, "not started" and "not performed"
// watchdogs, schedule summaries) can fire from it.
type Plan struct {
	Type        string          `json:"type"` // an event type: work_shift, order, room_inspection …
	ID          string          `json:"id"`
	UserIDs     []string        `json:"user_ids"`
	Refs        Refs            `json:"refs"`
	StartsAt    time.Time       `json:"starts_at"`
	EndsAt      *time.Time      `json:"ends_at,omitempty"`
	EarliestAt  *time.Time      `json:"earliest_at,omitempty"`
	LatestAt    *time.Time      `json:"latest_at,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	Status      string          `json:"status"`
	StartedAt   *time.Time      `json:"started_at,omitempty"`
	CompletedAt *time.Time      `json:"completed_at,omitempty"`
	UpdatedAt   time.Time       `json:"updated_at"`
	Timers      []Timer         `json:"timers,omitempty"`
}

// Timer statuses.
const (
	TimerPending   = "pending"
	TimerFired     = "fired"
	TimerSkipped   = "skipped"   // due, but its condition no longer held (the shift started …)
	TimerCancelled = "cancelled" // the plan moved or was cancelled, or the link changed
)

// Timer kinds.
const (
	TimerPlan    = "plan"    // a reminder or watchdog of one plan and link
	TimerSummary = "summary" // the next schedule summary of a periodic link
)

// Timer is a durable, due-dated firing of one link for one plan, or of a
// periodic link's next summary.
type Timer struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"-"`
	Kind      string     `json:"kind"`
	PlanType  string     `json:"plan_type,omitempty"`
	PlanID    string     `json:"plan_id,omitempty"`
	LinkID    string     `json:"link_id"`
	Trigger   string     `json:"trigger"`
	DueAt     time.Time  `json:"due_at"`
	Status    string     `json:"status"`
	Detail    string     `json:"detail,omitempty"`
	EventID   string     `json:"event_id,omitempty"`
	FiredAt   *time.Time `json:"fired_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Schedule says when a periodic link (weekly, monthly, dates) sends its
// summary; the time of day is the link's TimeOfDay.
type Schedule struct {
	Weekday    string   `json:"weekday,omitempty"`      // weekly: monday … sunday
	DayOfMonth int      `json:"day_of_month,omitempty"` // monthly: 1–28, or -1 for the last day
	Dates      []string `json:"dates,omitempty"`        // dates: YYYY-MM-DD, each summarising until the next
	Period     string   `json:"period,omitempty"`       // dates: how far ahead each summary looks, e.g. "7d"
}
