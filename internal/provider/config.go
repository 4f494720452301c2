package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
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

// Environment variables each setting falls back to, in order of precedence.
var (
	envHuaweiRegion    = []string{"HW_REGION_NAME"}
	envHuaweiProject   = []string{"HW_PROJECT_ID"}
	envHuaweiAccessKey = []string{"HW_ACCESS_KEY"}
	envHuaweiSecretKey = []string{"HW_SECRET_KEY"}
	envHuaweiToken     = []string{"HW_SECURITY_TOKEN"}
	envHuaweiCloud     = []string{"HW_CLOUD"}

	envAliRegion    = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envAliAccessKey = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envAliSecretKey = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envAliToken     = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
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

// providerModel is the provider block.
type providerModel struct {
	Huawei              *huaweiModel  `tfsdk:"huaweicloud"`
	Ali                 *aliModel     `tfsdk:"alicloud"`
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

type huaweiModel struct {
	Region        types.String `tfsdk:"region"`
	ProjectID     types.String `tfsdk:"project_id"`
	AccessKey     types.String `tfsdk:"access_key"`
	SecretKey     types.String `tfsdk:"secret_key"`
	SecurityToken types.String `tfsdk:"security_token"`
	Cloud         types.String `tfsdk:"cloud"`
	Endpoints     types.Map    `tfsdk:"endpoints"`
	huaweiCredentialsModel
}

type aliModel struct {
	Region        types.String `tfsdk:"region"`
	AccessKey     types.String `tfsdk:"access_key"`
	SecretKey     types.String `tfsdk:"secret_key"`
	SecurityToken types.String `tfsdk:"security_token"`
	Endpoints     types.Map    `tfsdk:"endpoints"`
	aliCredentialsModel
}

// settings is the provider configuration resolved against the environment.
type settings struct {
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
// An omitted block still takes its values from the environment.
func resolve(m providerModel, getenv func(string) string) settings {
	pick := func(v types.String, env []string) string {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
			return v.ValueString()
		}
		for _, name := range env {
			if s := getenv(name); s != "" {
				return s
			}
		}
		return ""
	}
	hw := m.Huawei
	if hw == nil {
		hw = &huaweiModel{}
	}
	ali := m.Ali
	if ali == nil {
		ali = &aliModel{}
	}
	s := settings{
		Huawei: huaweicloud.Config{
			Region:        pick(hw.Region, envHuaweiRegion),
			ProjectID:     pick(hw.ProjectID, envHuaweiProject),
			AccessKey:     pick(hw.AccessKey, envHuaweiAccessKey),
			SecretKey:     pick(hw.SecretKey, envHuaweiSecretKey),
			SecurityToken: pick(hw.SecurityToken, envHuaweiToken),
			Cloud:         pick(hw.Cloud, envHuaweiCloud),
			Endpoints:     endpoints(hw.Endpoints, huaweicloud.EndpointKeys, envHuaweiEndpointPrefix, getenv),
		},
		Ali: alicloud.Config{
			Region:        pick(ali.Region, envAliRegion),
			AccessKey:     pick(ali.AccessKey, envAliAccessKey),
			SecretKey:     pick(ali.SecretKey, envAliSecretKey),
			SecurityToken: pick(ali.SecurityToken, envAliToken),
			Endpoints:     endpoints(ali.Endpoints, alicloud.EndpointKeys, envAliEndpointPrefix, getenv),
		},
		MaxRetries:   DefaultMaxRetries,
		MaxParallel:  DefaultMaxParallelRequests,
		OnDrift:      OnDriftWarn,
		MaxReadBytes: maxReadBytes(m.MaxReadBytes),
		SharePacing:  true,
	}

	s.Huawei.ProjectIDFrom = projectIDFrom(hw.ProjectID, getenv)
	s.Huawei.KeysFrom = settingFrom("access_key", "huaweicloud", hw.AccessKey, envHuaweiAccessKey, getenv) + " with " +
		settingFrom("secret_key", "huaweicloud", hw.SecretKey, envHuaweiSecretKey, getenv)
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

// settingFrom names where the resolved value of the setting name of the
// provider's block comes from, for errors that ask to check it:
// "access_key in the provider's huaweicloud block" or "access_key from the
// environment variable HW_ACCESS_KEY". The name alone when it is unset.
func settingFrom(name, block string, v types.String, env []string, getenv func(string) string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return name + " in the provider's " + block + " block"
	}
	for _, e := range env {
		if getenv(e) != "" {
			return name + " from the environment variable " + e
		}
	}
	return name
}

// projectIDFrom names where the resolved project id comes from, for the
// error that refuses one that is not a path segment.
func projectIDFrom(v types.String, getenv func(string) string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return "project_id in the provider's huaweicloud block"
	}
	for _, name := range envHuaweiProject {
		if getenv(name) != "" {
			return "the environment variable " + name
		}
	}
	return ""
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
	var hw, ali types.Map
	if m.Huawei != nil {
		hw = m.Huawei.Endpoints
	}
	if m.Ali != nil {
		ali = m.Ali.Endpoints
	}
	check(hw, huaweicloud.EndpointKeys, envHuaweiEndpointPrefix)
	check(ali, alicloud.EndpointKeys, envAliEndpointPrefix)
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

// secrets lists the secret values of s, for masking in logs.
func (s settings) secrets() []string {
	return []string{s.Huawei.SecretKey, s.Huawei.SecurityToken, s.Ali.SecretKey, s.Ali.SecurityToken}
}
