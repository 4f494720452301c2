package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestPacingSettingsResolve: the defaults (16 in flight per read, no rate
// cap, 60 s per attempt, pacing shared) and configured values of the pacing settings.
func TestPacingSettingsResolve(t *testing.T) {
	s := resolve(providerModel{}, env(nil))
	if s.MaxParallel != 16 || s.MaxRequestsPerSecond != 0 || s.RequestTimeout != 60*time.Second || !s.SharePacing {
		t.Fatalf("defaults: parallel %d, rate %v, timeout %v, share %v; want 16, 0, 60s, true", s.MaxParallel, s.MaxRequestsPerSecond, s.RequestTimeout, s.SharePacing)
	}
	s = resolve(providerModel{
		MaxParallelRequests: types.Int64Value(2),
		MaxRequestsPerSec:   types.Float64Value(7.5),
		RequestTimeout:      types.StringValue("1m30s"),
		SharePacing:         types.BoolValue(false),
	}, env(nil))
	if s.MaxParallel != 2 || s.MaxRequestsPerSecond != 7.5 || s.RequestTimeout != 90*time.Second || s.SharePacing {
		t.Fatalf("configured: parallel %d, rate %v, timeout %v, share %v; want 2, 7.5, 1m30s, false", s.MaxParallel, s.MaxRequestsPerSecond, s.RequestTimeout, s.SharePacing)
	}
}

// TestRequestTimeoutValidatedAtPlanTime: request_timeout must be a
// duration above zero; the error names the value and the form wanted.
func TestRequestTimeoutValidatedAtPlanTime(t *testing.T) {
	for v, ok := range map[string]bool{"60s": true, "2m": true, "1h30m": true, "250ms": true,
		"60": false, "0s": false, "-5s": false, "soon": false, "": false} {
		req := validator.StringRequest{Path: path.Root("request_timeout"), ConfigValue: types.StringValue(v)}
		var resp validator.StringResponse
		durationString{}.ValidateString(context.Background(), req, &resp)
		if resp.Diagnostics.HasError() == ok {
			t.Errorf("%q: errors %v, want ok = %v", v, resp.Diagnostics, ok)
			continue
		}
		if !ok && !strings.Contains(resp.Diagnostics[0].Detail(), `"30s"`) {
			t.Errorf("%q: detail %q does not say what is wanted", v, resp.Diagnostics[0].Detail())
		}
	}
}
