package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// maxReportedDiffs bounds how many differences ExpectObjects reports.
const maxReportedDiffs = 10

// ExpectObjects is a state check that the list attribute of the resource
// (or data source, "data.TYPE.NAME") at address holds exactly want, in
// order: same length, and every element has exactly the keys of its want
// map with equal values. Values are compared by kind as well: a want
// string must be a string in state, a want integer (int, int64) must be a
// number in state (not a string holding digits), nil must be null. It reads
// the whole list once, so it suits lists of thousands of objects.
func ExpectObjects(address, attribute string, want []map[string]any) statecheck.StateCheck {
	return objectsCheck{address: address, attribute: attribute, want: want}
}

type objectsCheck struct {
	address, attribute string
	want               []map[string]any
}

func (c objectsCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	v, err := AttributeValue(req, c.address, c.attribute)
	if err != nil {
		resp.Error = err
		return
	}
	got, ok := v.([]any)
	if !ok {
		resp.Error = fmt.Errorf("%s.%s: want a list, got %T", c.address, c.attribute, v)
		return
	}
	var diffs []string
	if len(got) != len(c.want) {
		diffs = append(diffs, fmt.Sprintf("length: got %d, want %d", len(got), len(c.want)))
	}
	for i := range min(len(got), len(c.want)) {
		obj, ok := got[i].(map[string]any)
		if !ok {
			diffs = append(diffs, fmt.Sprintf("[%d]: want an object, got %T", i, got[i]))
			continue
		}
		keys := map[string]bool{}
		for k := range obj {
			keys[k] = true
		}
		for k := range c.want[i] {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			g, gok := obj[k]
			w, wok := c.want[i][k]
			switch {
			case !gok:
				diffs = append(diffs, fmt.Sprintf("[%d].%s: missing in state (want %#v)", i, k, w))
			case !wok:
				diffs = append(diffs, fmt.Sprintf("[%d].%s: unexpected attribute (got %#v)", i, k, g))
			default:
				if msg := compareValue(g, w); msg != "" {
					diffs = append(diffs, fmt.Sprintf("[%d].%s: %s", i, k, msg))
				}
			}
		}
		if len(diffs) > maxReportedDiffs {
			break
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > maxReportedDiffs {
			diffs = append(diffs[:maxReportedDiffs], "...")
		}
		resp.Error = fmt.Errorf("%s.%s differs from the expected %d objects:\n  %s",
			c.address, c.attribute, len(c.want), strings.Join(diffs, "\n  "))
	}
}

// compareValue compares a state value (as decoded with json.Number) with
// a wanted Go value; it returns "" when they are equal.
func compareValue(got, want any) string {
	switch w := want.(type) {
	case nil:
		if got != nil {
			return fmt.Sprintf("got %#v, want null", got)
		}
	case string:
		g, ok := got.(string)
		if !ok {
			return fmt.Sprintf("got %T %#v, want the string %q", got, got, w)
		}
		if g != w {
			return fmt.Sprintf("got %q, want %q", g, w)
		}
	case bool:
		if g, ok := got.(bool); !ok || g != w {
			return fmt.Sprintf("got %T %#v, want the bool %v", got, got, w)
		}
	case int:
		return compareNumber(got, new(big.Float).SetInt64(int64(w)))
	case int64:
		return compareNumber(got, new(big.Float).SetInt64(w))
	case float64:
		return compareNumber(got, big.NewFloat(w))
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("got %T %#v, want the object %v", got, got, w)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("no attribute %s", k)
			}
			if d := compareValue(gv, wv); d != "" {
				return k + ": " + d
			}
		}
	default:
		return fmt.Sprintf("unsupported expected type %T", want)
	}
	return ""
}

func compareNumber(got any, want *big.Float) string {
	n, ok := got.(json.Number)
	if !ok {
		return fmt.Sprintf("got %T %#v, want the number %s", got, got, want.Text('g', -1))
	}
	g, _, err := big.ParseFloat(n.String(), 10, 256, big.ToNearestEven)
	if err != nil {
		return fmt.Sprintf("got the unparsable number %q", n.String())
	}
	if g.Cmp(want) != 0 {
		return fmt.Sprintf("got %s, want %s", n.String(), want.Text('g', -1))
	}
	return ""
}

// AttributeValue returns the value of the top-level attribute of the
// resource at address in the state of req, as terraform show -json gives it
// (numbers as json.Number, lists as []any, objects and maps as
// map[string]any).
func AttributeValue(req statecheck.CheckStateRequest, address, attribute string) (any, error) {
	state := req.State
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("state has no root module")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			v, ok := r.AttributeValues[attribute]
			if !ok {
				return nil, fmt.Errorf("%s has no attribute %q", address, attribute)
			}
			return v, nil
		}
	}
	return nil, fmt.Errorf("%s is not in the state", address)
}

// CheckFunc is a state check running f: use it to assert on things outside
// the state at the point state checks run (after the step's plan and apply,
// before its post-apply plans), e.g. the emulator's request counters.
func CheckFunc(f func() error) statecheck.StateCheck {
	return funcCheck(f)
}

type funcCheck func() error

func (f funcCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// RecordedQueries returns the decoded query of every request the emulator
// recorded for api, in arrival order. A query that does not decode is an
// error naming the request.
func RecordedQueries(srv *emulator.Server, api string) ([]url.Values, error) {
	recs := srv.Recorded(api)
	out := make([]url.Values, len(recs))
	for i, r := range recs {
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			return nil, fmt.Errorf("request %d (%s %s): query %q: %w", i, r.Method, r.Path, r.RawQuery, err)
		}
		out[i] = q
	}
	return out, nil
}

// ExpectCheckStatus is a state check that the check block named name has
// one of the statuses given ("pass", "fail", "error", "unknown") in the
// state's check results. A failing assertion of a check block is only a
// warning to Terraform; this makes it visible to a test.
func ExpectCheckStatus(name string, statuses ...string) statecheck.StateCheck {
	return checkStatus{name: name, statuses: statuses}
}

type checkStatus struct {
	name     string
	statuses []string
}

func (c checkStatus) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("state is nil")
		return
	}
	for _, r := range req.State.Checks {
		if string(r.Address.Kind) != "check" || r.Address.Name != c.name {
			continue
		}
		for _, s := range c.statuses {
			if string(r.Status) == s {
				return
			}
		}
		resp.Error = fmt.Errorf("check block %q has status %q, want one of %q", c.name, r.Status, c.statuses)
		return
	}
	resp.Error = fmt.Errorf("no result for check block %q in the state", c.name)
}
