package admin

import (
	"context"
	"errors"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// Chart bounds: the deliveries counted and the days drawn.
const (
	chartMaxRows = 20000
	chartMaxDays = 92
)

// chartGroups are the stacked colours, bottom up.
func chartGroups() []string { return []string{"ok", "pending", "skipped", "failed"} }

// chart is an inline SVG of deliveries per day, stacked by status group.
type chart struct {
	Width, Height float64
	AxisY, AxisX2 float64
	Bars          []chartBar
	Days          []chartLabel
	Ticks         []chartLabel
	Groups        []string
	Counts        map[string]int // per group
	Total         int
	Capped        bool
}

// chartBar is one stacked segment.
type chartBar struct {
	X, Y, W, H float64
	Group      string
	Count      int
	Day        string
}

// chartLabel is an axis label at a position.
type chartLabel struct {
	X, Y float64
	Text string
}

var errChartFull = errors.New("admin: chart has enough rows")

// dailyChart counts the filtered deliveries per day and status group.
func (h *handler) dailyChart(ctx context.Context, s *session, df store.DeliveryFilter) (chart, error) {
	days := chartDays(df, s.loc, h.now())
	counts := make([]map[string]int, len(days))
	for i := range counts {
		counts[i] = map[string]int{}
	}
	c := chart{Width: 800, Height: 220, Groups: chartGroups(), Counts: map[string]int{}}
	err := h.engine.EachDelivery(ctx, s.tenant.ID, df, func(d avisera.Delivery) error {
		if c.Total >= chartMaxRows {
			c.Capped = true
			return errChartFull
		}
		c.Total++
		g := statusGroup(d.Status)
		c.Counts[g]++
		if i := dayIndex(days, d.CreatedAt.In(s.loc)); i >= 0 {
			counts[i][g]++
		}
		return nil
	})
	if err != nil && !errors.Is(err, errChartFull) {
		return c, err
	}
	c.draw(days, counts)
	return c, nil
}

// chartDays lists the days of the period, at most chartMaxDays (the latest).
func chartDays(df store.DeliveryFilter, loc *time.Location, now time.Time) []time.Time {
	end := midnight(now.In(loc)).AddDate(0, 0, 1)
	if df.To != nil {
		end = df.To.In(loc)
	}
	start := end.AddDate(0, 0, -30)
	if df.From != nil {
		start = midnight(df.From.In(loc))
	}
	var days []time.Time
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	if len(days) > chartMaxDays {
		days = days[len(days)-chartMaxDays:]
	}
	return days
}

// dayIndex finds the day t falls on, or -1.
func dayIndex(days []time.Time, t time.Time) int {
	for i, d := range days {
		if !t.Before(d) && t.Before(d.AddDate(0, 0, 1)) {
			return i
		}
	}
	return -1
}

// Plot area margins.
const (
	chartLeft, chartTop, chartBottom = 44.0, 10.0, 30.0
)

// draw lays out the bars, day labels and value ticks.
func (c *chart) draw(days []time.Time, counts []map[string]int) {
	if len(days) == 0 {
		return
	}
	most := 1
	for _, m := range counts {
		sum := 0
		for _, n := range m {
			sum += n
		}
		most = max(most, sum)
	}
	plotW, plotH := c.Width-chartLeft-10, c.Height-chartTop-chartBottom
	c.AxisY, c.AxisX2 = chartTop+plotH, c.Width-10
	slot := plotW / float64(len(days))
	every := max(1, (len(days)+9)/10)
	for i, d := range days {
		x, y := chartLeft+float64(i)*slot+slot*0.15, chartTop+plotH
		for _, g := range c.Groups {
			n := counts[i][g]
			if n == 0 {
				continue
			}
			hgt := plotH * float64(n) / float64(most)
			y -= hgt
			c.Bars = append(c.Bars, chartBar{X: x, Y: y, W: slot * 0.7, H: hgt, Group: g, Count: n, Day: d.Format("2006-01-02")})
		}
		if i%every == 0 {
			c.Days = append(c.Days, chartLabel{X: x + slot*0.35, Y: c.Height - 10, Text: d.Format("01-02")})
		}
	}
	for _, v := range []int{0, most / 2, most} {
		c.Ticks = append(c.Ticks, chartLabel{X: chartLeft - 6, Y: chartTop + plotH - plotH*float64(v)/float64(most) + 4,
			Text: itoa(v)})
	}
}
