package faulttest_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// thousands writes n with commas (9,999), as the errors do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestCLI_maxItemsAtPlanTime: max_items beyond what a data source can
// return (the largest int64, whose sum with the repeated records of an
// unstable page start overflowed the pager: it stopped after 4 requests
// with 399 of 3,000 records; 2^63, which no int64 holds; a fraction; 0;
// one past the API's largest) fails the plan of every data source and of
// its ephemeral twin, one error per block naming max_items, its range
// and the value, and no request is sent. None is the plugin framework's
// internal error ("always an error in the provider"). The largest value
// itself plans.
func TestCLI_maxItemsAtPlanTime(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	for _, kind := range []string{"data", "ephemeral"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			type want struct{ addr, value string }
			var blocks strings.Builder
			var wants []want
			for _, s := range sources {
				limit := catalog.ByTypeName(s.typ).MaxItems()
				if s.api == emulator.APIAuditLogs && limit != 9999 {
					t.Errorf("SecMaster's largest max_items is %d, want 9,999 (offset + limit < 10000)", limit)
				}
				for i, v := range []string{"9223372036854775807", "9223372036854775808", "1.5", "0", "-1", strconv.Itoa(limit + 1)} {
					name := fmt.Sprintf("bad%d", i)
					blocks.WriteString(maxItemsBlock(kind, s, name, v))
					wants = append(wants, want{kind + "." + s.typ + "." + name, "max_items must be a whole number from 1 to " +
						thousands(limit) + ", got " + v})
				}
				blocks.WriteString(maxItemsBlock(kind, s, "largest", strconv.Itoa(limit)))
			}
			w := newWorkdir(t, providerBlock(srv, nil, nil)+blocks.String())
			stdout, stderr, err := w.run(nil, "plan", "-input=false", "-no-color")
			out := stdout + stderr
			if err == nil {
				t.Fatalf("terraform plan passed:\n%s", out)
			}
			// One diagnostic per bad block, naming it and the value.
			diags := strings.Split(out, "Error: ")
			space := regexp.MustCompile(`\s+`)
			for _, wt := range wants {
				found := false
				for _, d := range diags {
					d = space.ReplaceAllString(d, " ")
					if strings.Contains(d, "with "+wt.addr+",") && strings.Contains(d, wt.value) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("no error for %s: %q", wt.addr, wt.value)
				}
			}
			if n := strings.Count(out, "Error: "); n != len(wants) {
				t.Errorf("%d errors, want %d (one per bad block, none for the largest values):\n%s", n, len(wants), out)
			}
			for _, internal := range []string{"always an error in the provider", "Value Conversion Error", "Configuration Read Error"} {
				if strings.Contains(out, internal) {
					t.Errorf("the output holds the framework's internal error %q:\n%s", internal, out)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
	for _, s := range sources {
		if n := len(srv.Recorded(s.api)); n != 0 {
			t.Errorf("%s: %d requests sent", s.api, n)
		}
	}
}

// maxItemsBlock is a block of kind ("data" or "ephemeral") reading s's
// fixture with max_items = value (an HCL number).
func maxItemsBlock(kind string, s source, name, value string) string {
	return fmt.Sprintf("%s %q %q {\n%s  max_items = %s\n}\n", kind, s.typ, name, acctest.HCLArgs(s.fixture.Args), value)
}
