package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Defaults of the provider settings.
const (
	DefaultMaxRetries          = 5
	DefaultMaxParallelRequests = 16
	DefaultRequestTimeout      = "60s"
	MaxParallelRequestsLimit   = 32
)

// Endpoint overrides fall back, key by key, to an environment variable:
// the prefix and the key in upper case (HW_ENDPOINT_IAM,
// ALIBABA_CLOUD_ENDPOINT_OOS). Every key of huaweicloud.EndpointKeys and
// alicloud.EndpointKeys has one.
const (
	envHuaweiEndpointPrefix = "HW_ENDPOINT_"
	envAliEndpointPrefix    = "ALIBABA_CLOUD_ENDPOINT_"
)

// endpointEnv is the environment variable of an endpoint key.
func endpointEnv(prefix, key string) string { return prefix + strings.ToUpper(key) }

// providerModel is the provider block. The clouds' blocks are read by
// their tables of settings (credentials.go), not by struct fields.
type providerModel struct {
	Huawei              types.Object  `tfsdk:"huaweicloud"`
	Ali                 types.Object  `tfsdk:"alicloud"`
	MaxRetries          types.Int64   `tfsdk:"max_retries"`
	MaxParallelRequests types.Int64   `tfsdk:"max_parallel_requests"`
	MaxRequestsPerSec   types.Float64 `tfsdk:"max_requests_per_second"`
	RequestTimeout      types.String  `tfsdk:"request_timeout"`
	OnDrift             types.String  `tfsdk:"on_drift"`
	SharePacing         types.Bool    `tfsdk:"share_pacing"`
	Insecure            types.Bool    `tfsdk:"insecure"`
	CACertFile          types.String  `tfsdk:"ca_cert_file"`
	MaxReadBytes        types.Number  `tfsdk:"max_read_bytes"`
}

// settings is the provider configuration resolved against the environment.
type settings struct {
	// Invalid is an environment variable's value that does not parse
	// (credchain.Table.Resolve), or nil.
	Invalid     error
	Huawei      huaweicloud.Config
	Ali         alicloud.Config
	MaxRetries  int
	MaxParallel int
	// MaxRequestsPerSecond caps the rate per API host (0: none).
	MaxRequestsPerSecond float64
	// RequestTimeout bounds one attempt.
	RequestTimeout time.Duration
	Insecure       bool
	// CACertFile is ca_cert_file: extra trusted CA certificates (PEM).
	CACertFile string
	// OnDrift is OnDriftWarn or OnDriftFail.
	OnDrift string
	// SharePacing is share_pacing: the pacers share their state with the
	// provider's other processes on the machine (default true).
	SharePacing bool
	// MaxReadBytes is max_read_bytes: the memory budget of one read.
	MaxReadBytes int64
}

// The values of on_drift: what an answer that changed or contradicted
// itself between the pages of one read gives.
const (
	OnDriftWarn = "warn"
	OnDriftFail = "fail"
)

// resolve merges the configuration with the environment: a value set in
// the configuration wins; otherwise the first non-empty environment
// variable of the setting's list; otherwise empty (the client's default).
// An omitted block still takes its values from the environment. The
// clouds' blocks are resolved by their tables (credchain.Table.Resolve);
// a variable of a number or boolean setting that does not parse is
// settings.Invalid, an error naming it.
func resolve(m providerModel, getenv func(string) string) settings {
	var invalid error
	table := func(t *credchain.Table, obj types.Object) *credchain.Resolved {
		// Values not known yet were reported before (unknownSettings).
		cfg := readTable(t, obj, new([]path.Path))
		r, err := t.Resolve(cfg, getenv)
		if err != nil {
			// Configure stops at Invalid; the settings without the
			// environment keep the result whole for the callers that
			// look further.
			invalid = err
			r, _ = t.Resolve(cfg, func(string) string { return "" })
		}
		return r
	}
	hw, ali := table(huaweicloud.Settings, m.Huawei), table(alicloud.Settings, m.Ali)
	s := settings{
		Invalid: invalid,
		Huawei: huaweicloud.Config{
			Region:      hw.Top.Str("region"),
			ProjectID:   hw.Top.Str("project_id"),
			Cloud:       hw.Top.Str("cloud"),
			Endpoints:   endpoints(endpointsOf(m.Huawei), huaweicloud.EndpointKeys, envHuaweiEndpointPrefix, getenv),
			Credentials: hw,
		},
		Ali: alicloud.Config{
			Region:      ali.Top.Str("region"),
			Endpoints:   endpoints(endpointsOf(m.Ali), alicloud.EndpointKeys, envAliEndpointPrefix, getenv),
			Credentials: ali,
		},
		MaxRetries:   DefaultMaxRetries,
		MaxParallel:  DefaultMaxParallelRequests,
		OnDrift:      OnDriftWarn,
		MaxReadBytes: maxReadBytes(m.MaxReadBytes),
		SharePacing:  true,
	}
	if e := hw.Top.Env("project_id"); e != "" {
		s.Huawei.ProjectIDFrom = "the environment variable " + e
	}
	if !m.MaxRetries.IsNull() && !m.MaxRetries.IsUnknown() {
		s.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	if !m.MaxParallelRequests.IsNull() && !m.MaxParallelRequests.IsUnknown() {
		s.MaxParallel = int(m.MaxParallelRequests.ValueInt64())
	}
	if !m.MaxRequestsPerSec.IsNull() && !m.MaxRequestsPerSec.IsUnknown() {
		s.MaxRequestsPerSecond = m.MaxRequestsPerSec.ValueFloat64()
	}
	s.RequestTimeout, _ = time.ParseDuration(DefaultRequestTimeout)
	if !m.RequestTimeout.IsNull() && !m.RequestTimeout.IsUnknown() {
		// Validated at plan time (durationString); a value that still does
		// not parse keeps the default.
		if d, err := time.ParseDuration(m.RequestTimeout.ValueString()); err == nil && d > 0 {
			s.RequestTimeout = d
		}
	}
	if !m.Insecure.IsNull() && !m.Insecure.IsUnknown() {
		s.Insecure = m.Insecure.ValueBool()
	}
	if !m.CACertFile.IsNull() && !m.CACertFile.IsUnknown() {
		s.CACertFile = m.CACertFile.ValueString()
	}
	if !m.SharePacing.IsNull() && !m.SharePacing.IsUnknown() {
		s.SharePacing = m.SharePacing.ValueBool()
	}
	if !m.OnDrift.IsNull() && !m.OnDrift.IsUnknown() && m.OnDrift.ValueString() != "" {
		s.OnDrift = m.OnDrift.ValueString()
	}
	return s
}

// endpointsOf is the endpoints attribute of a cloud's block (null when
// the block is not written).
func endpointsOf(obj types.Object) types.Map {
	if obj.IsNull() || obj.IsUnknown() {
		return types.MapNull(types.StringType)
	}
	m, ok := obj.Attributes()["endpoints"].(types.Map)
	if !ok {
		return types.MapNull(types.StringType)
	}
	return m
}

// endpoints is the endpoints map of a block: the configured entries, and
// for each key the configuration leaves out, its environment variable
// (see endpointEnv) when that is set.
func endpoints(m types.Map, keys []string, envPrefix string, getenv func(string) string) map[string]string {
	out := stringMap(m)
	for _, k := range keys {
		if out[k] != "" {
			continue
		}
		if v := getenv(endpointEnv(envPrefix, k)); v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// endpointEnvErrors checks the endpoint overrides that came from the
// environment (the configuration's are checked by the schema's
// validator) and names the variable of each invalid one.
func endpointEnvErrors(m providerModel, getenv func(string) string) []string {
	var out []string
	check := func(configured types.Map, keys []string, prefix string) {
		set := stringMap(configured)
		for _, k := range keys {
			name := endpointEnv(prefix, k)
			v := getenv(name)
			if set[k] != "" || v == "" {
				continue
			}
			if err := transport.CheckBaseURL(v); err != nil {
				out = append(out, fmt.Sprintf("%s: %s", name, err))
			}
		}
	}
	check(endpointsOf(m.Huawei), huaweicloud.EndpointKeys, envHuaweiEndpointPrefix)
	check(endpointsOf(m.Ali), alicloud.EndpointKeys, envAliEndpointPrefix)
	return out
}

func stringMap(m types.Map) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out[k] = s.ValueString()
		}
	}
	return out
}

// secrets lists the secret values of s (every sensitive setting of both
// clouds' blocks), for masking in logs.
func (s settings) secrets() []string {
	return append(tableSecrets(s.Huawei.Credentials), tableSecrets(s.Ali.Credentials)...)
}
