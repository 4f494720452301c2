// Package provider is the opsaudit provider: its schema, its configuration
// (resolved against the environment), and the list of data sources.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/readserver"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TypeName is the provider's type name.
const TypeName = "opsaudit"

// Option adjusts a provider instance; used by tests.
type Option func(*opsauditProvider)

// WithTransport lets a test tune the transport (backoff, timeouts).
func WithTransport(f func(*transport.Options)) Option {
	return func(p *opsauditProvider) { p.tuneTransport = f }
}

// WithGetenv replaces the environment lookup; used by tests.
func WithGetenv(f func(string) string) Option {
	return func(p *opsauditProvider) { p.getenv = f }
}

// WithStop makes every request of the provider end once stop is done:
// requests in progress are abandoned and new ones fail at once (see
// transport.Options.Stop). Terraform cancels a running read through
// StopProvider, but not while `terraform apply` is still planning; main
// sets stop to a context that ends on SIGINT, which a Ctrl-C delivers to
// the provider process as well, so an interrupted read stops then too.
func WithStop(stop context.Context) Option {
	return func(p *opsauditProvider) { p.stop = stop }
}

// New returns a constructor of the provider for the given version.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &opsauditProvider{version: version, getenv: os.Getenv}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

// FrameworkReadsEnv is the environment variable that, set to 1 (or true),
// makes NewServer serve every read through the plugin framework alone,
// without the direct-read server: a switch for the case where the two
// ever answered differently.
const FrameworkReadsEnv = "OPSAUDIT_FRAMEWORK_READS"

// WithFrameworkReads makes NewServer serve every read through the plugin
// framework alone, as FrameworkReadsEnv does.
func WithFrameworkReads() Option {
	return func(p *opsauditProvider) { p.frameworkReads = true }
}

// NewServer returns the factory of the provider's protocol 6 server, the
// one main serves and the acceptance tests run: the plugin framework's,
// with data source reads answered below it (readserver.NewProtocol6)
// unless WithFrameworkReads or FrameworkReadsEnv says otherwise. Each
// server gets a provider instance of its own.
func NewServer(version string, opts ...Option) func() tfprotov6.ProviderServer {
	newProvider := New(version, opts...)
	return func() tfprotov6.ProviderServer {
		p, _ := newProvider().(*opsauditProvider) // New makes nothing else
		switch strings.ToLower(p.getenv(FrameworkReadsEnv)) {
		case "1", "true":
			p.frameworkReads = true
		}
		if p.frameworkReads {
			return providerserver.NewProtocol6(p)()
		}
		return readserver.NewProtocol6(p)()
	}
}

type opsauditProvider struct {
	version       string
	getenv        func(string) string
	tuneTransport func(*transport.Options)
	stop          context.Context
	// frameworkReads: NewServer serves reads through the framework alone.
	frameworkReads bool

	// meta is what Configure handed to the data sources.
	meta atomic.Pointer[clouds.Meta]
}

var _ readserver.ConfiguredEphemeralProvider = (*opsauditProvider)(nil)

// DataSourceData returns what the last Configure handed to the data
// sources, nil before.
func (p *opsauditProvider) DataSourceData() any {
	if m := p.meta.Load(); m != nil {
		return m
	}
	return nil
}

// EphemeralResourceData returns what the last Configure handed to the
// ephemeral resources (the same as to the data sources), nil before.
func (p *opsauditProvider) EphemeralResourceData() any { return p.DataSourceData() }

func (p *opsauditProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *opsauditProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: catalog.Description(),
		Attributes: map[string]schema.Attribute{
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Retries of a 5xx or transport-failed request, with capped exponential "+
					"backoff and jitter. At least 0. Default: %d. Throttled requests (HTTP 429, Alibaba `Throttling*`, "+
					"`Rejected.Throttling`, `ServiceUnavailable`) are not counted: they are retried through the "+
					"provider's pacer for as long as the read's time budget allows.", DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"max_parallel_requests": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Page requests in flight for one data source read, 1 to %d. Default: %d. "+
					"A cap per read: the provider's pacer may send fewer when the API throttles.",
					MaxParallelRequestsLimit, DefaultMaxParallelRequests),
				Validators: []validator.Int64{int64validator.Between(1, MaxParallelRequestsLimit)},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Your own cap on the requests per second to each API host (endpoint), shared by " +
					"every read of this provider configuration, retries included; for example to leave room under a " +
					"limit that other clients of the same credentials share. `0` or unset: no cap of your own. Either " +
					"way the provider paces each host by itself: it starts with a few requests in flight, speeds up " +
					"while the API accepts them, and slows down when the API throttles (HTTP 429, Alibaba `Throttling*`).",
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Time limit of one attempt of one request, from sending it to the last byte of the " +
					"answer; an attempt that runs out is retried (`max_retries`). A duration such as `\"30s\"` or " +
					"`\"2m\"`. Default: `\"" + DefaultRequestTimeout + "\"`. The whole read's budget is the data " +
					"source's `timeouts.read`.",
				Validators: []validator.String{durationString{}},
			},
			"on_drift": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "What a read gives when the API's answer changed or contradicted itself between the pages " +
					"of that read (a total that changed, records that came back with other content): `\"warn\"` " +
					"(default) returns the result with a warning; `\"fail\"` fails the read instead, for pipelines " +
					"that prefer a retry to a doubt. Answers no drift can explain always fail the read.",
				Validators: []validator.String{stringvalidator.OneOf(OnDriftWarn, OnDriftFail)},
			},
			"max_read_bytes": maxReadBytesAttr(),
			"share_pacing": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Share what a host's pacer learned (the rate it settled on, the limit the API stated, when it " +
					"last throttled) with the provider's other processes on this machine: each `provider` block and alias " +
					"is a process of its own, and a CI runner may plan several workspaces at once. A process that starts " +
					"into a known limit starts at it instead of discovering it by being throttled, and processes running " +
					"at once share one rate. The state is a small file per API host and access key (named by a hash: " +
					"nothing secret is written) in the user's cache directory (`terraform-provider-opsaudit/pacing`; the " +
					"environment variable `" + transport.PacingDirEnv + "` overrides the directory), read and written " +
					"under an advisory lock; knowledge older than five minutes is not used. `false`: each process paces " +
					"on its own. Default: `true`. Without the file (another machine, a container) each process paces as " +
					"if it were alone.",
			},
			"ca_cert_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file of CA certificates to trust besides the system's roots: for private " +
					"endpoints and TLS-inspecting proxies whose certificates a private CA signs. The file must be readable " +
					"and hold at least one certificate, or the plan fails.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Only for private endpoints with self-signed certificates. Default: `false`.",
			},
		},
		Blocks: map[string]schema.Block{
			"huaweicloud": schema.SingleNestedBlock{
				MarkdownDescription: "Huawei Cloud credentials and endpoints, for the `opsaudit_huaweicloud_*` data sources. " +
					"Each setting falls back to its environment variables, in the order given (the huaweicloud provider's, then " +
					"the official SDK's); values in the configuration win.",
				Attributes: withEndpoints(huaweicloud.Settings, endpointsAttr(huaweicloud.EndpointKeys, envHuaweiEndpointPrefix,
					"the `cloud` rule above for `iam`, `sts`, `workspace` and `secmaster`; `"+huaweicloud.DefaultMetadataEndpoint+"` for `metadata`")),
				Blocks: tableBlocks(huaweicloud.Settings),
			},
			"alicloud": schema.SingleNestedBlock{
				MarkdownDescription: "Alibaba Cloud credentials and endpoints, for the `opsaudit_alicloud_*` data sources. " +
					"Each setting falls back to its environment variables, in the order given (the alicloud provider's, then " +
					"the official SDKs'); values in the configuration win.",
				Attributes: withEndpoints(alicloud.Settings, endpointsAttr(alicloud.EndpointKeys, envAliEndpointPrefix,
					"`https://oos.{region}.aliyuncs.com` for `oos`; for `sts`, `https://sts.{ALIBABA_CLOUD_STS_REGION}.aliyuncs.com` "+
						"when that is set (`sts-vpc` with `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), else `https://sts.{region}.aliyuncs.com`, "+
						"else `https://sts.aliyuncs.com`; `"+alicloud.DefaultIMDSEndpoint+"` for `imds`")),
				Blocks: tableBlocks(alicloud.Settings),
			},
		},
	}
}

// withEndpoints is the attributes of a cloud's block: its table's and
// endpoints.
func withEndpoints(t *credchain.Table, endpoints schema.Attribute) map[string]schema.Attribute {
	attrs := tableAttributes(&t.Blocks[0])
	attrs["endpoints"] = endpoints
	return attrs
}

func endpointsAttr(keys []string, envPrefix, def string) schema.MapAttribute {
	quoted := make([]string, len(keys))
	envs := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = "`" + k + "`"
		envs[i] = "`" + endpointEnv(envPrefix, k) + "`"
	}
	return schema.MapAttribute{
		Optional:    true,
		ElementType: types.StringType,
		MarkdownDescription: fmt.Sprintf("Endpoint overrides: full base URLs (`https://...`, trailing slash optional) by service. "+
			"Keys: %s. A key left out falls back to its environment variable: %s. Default for each: %s.",
			strings.Join(quoted, ", "), strings.Join(envs, ", "), def),
		Validators: []validator.Map{
			mapvalidator.KeysAre(stringvalidator.OneOf(keys...)),
			mapvalidator.ValueStringsAre(baseURL{}),
		},
	}
}

func (p *opsauditProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := unknownSettings(m); len(unknown) > 0 {
		for _, pth := range unknown {
			resp.Diagnostics.AddAttributeError(pth, "Unknown provider setting",
				"The provider cannot be configured with a value that is only known after apply. "+
					"Set it to a value known at plan time, or leave it unset to use its environment variable.")
		}
		return
	}
	for _, msg := range endpointEnvErrors(m, p.getenv) {
		resp.Diagnostics.AddError("Invalid endpoint URL in the environment", msg)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	s := resolve(m, p.getenv)
	if s.Invalid != nil {
		resp.Diagnostics.AddError("Invalid credential settings", s.Invalid.Error())
		return
	}
	roots := caCertPool(ctx, s, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	topts := transport.Options{
		MaxRetries:           s.MaxRetries,
		MaxRequestsPerSecond: s.MaxRequestsPerSecond,
		RequestTimeout:       s.RequestTimeout,
		Insecure:             s.Insecure,
		RootCAs:              roots,
		UserAgent:            fmt.Sprintf("terraform-provider-opsaudit/%s (+https://registry.terraform.io/providers/opsaudit/opsaudit) Terraform/%s", p.version, req.TerraformVersion),
		Secrets:              s.secrets(),
		Stop:                 p.stop,
	}
	if s.SharePacing {
		// Unset (or a test binary): each process paces on its own.
		if dir, err := transport.DefaultPacingDir(p.getenv); err != nil {
			tflog.Debug(ctx, "Pacing without the shared state: no cache directory", map[string]any{"error": err.Error()})
		} else {
			topts.PacingDir = dir
		}
	}
	if p.tuneTransport != nil {
		p.tuneTransport(&topts)
	}
	tr := transport.New(topts)
	meta := &clouds.Meta{
		Huawei:   huaweicloud.NewClient(s.Huawei, tr),
		Ali:      alicloud.NewClient(s.Ali, tr),
		Settings: listread.Settings{Parallel: s.MaxParallel, DriftFails: s.OnDrift == OnDriftFail, MaxReadBytes: s.MaxReadBytes},
	}
	credentialDiagnostics(meta, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "Configured opsaudit provider", map[string]any{
		"huaweicloud_region": s.Huawei.Region, "huaweicloud_cloud": s.Huawei.Cloud,
		"huaweicloud_has_credentials": meta.Huawei.CheckCredentials() == nil,
		"alicloud_region":             s.Ali.Region,
		"alicloud_has_credentials":    meta.Ali.CheckCredentials() == nil,
		"max_retries":                 s.MaxRetries, "max_parallel_requests": s.MaxParallel, "insecure": s.Insecure,
		"max_requests_per_second": s.MaxRequestsPerSecond, "request_timeout": s.RequestTimeout.String(),
		"on_drift": s.OnDrift, "max_read_bytes": s.MaxReadBytes, "share_pacing": s.SharePacing, "pacing_dir": topts.PacingDir,
	})
	resp.DataSourceData = meta
	resp.EphemeralResourceData = meta
	p.meta.Store(meta)
}

// unknownSettings lists settings whose value is not known yet.
func unknownSettings(m providerModel) []path.Path {
	var out []path.Path
	check := func(p path.Path, unknown bool) {
		if unknown {
			out = append(out, p)
		}
	}
	check(path.Root("max_retries"), m.MaxRetries.IsUnknown())
	check(path.Root("max_parallel_requests"), m.MaxParallelRequests.IsUnknown())
	check(path.Root("max_requests_per_second"), m.MaxRequestsPerSec.IsUnknown())
	check(path.Root("request_timeout"), m.RequestTimeout.IsUnknown())
	check(path.Root("insecure"), m.Insecure.IsUnknown())
	check(path.Root("ca_cert_file"), m.CACertFile.IsUnknown())
	check(path.Root("on_drift"), m.OnDrift.IsUnknown())
	check(path.Root("max_read_bytes"), m.MaxReadBytes.IsUnknown())
	check(path.Root("share_pacing"), m.SharePacing.IsUnknown())
	readTable(huaweicloud.Settings, m.Huawei, &out)
	readTable(alicloud.Settings, m.Ali, &out)
	for _, cloud := range []struct {
		name string
		obj  types.Object
	}{{"huaweicloud", m.Huawei}, {"alicloud", m.Ali}} {
		check(path.Root(cloud.name).AtName("endpoints"), endpointsOf(cloud.obj).IsUnknown())
	}
	return out
}

func (p *opsauditProvider) DataSources(context.Context) []func() datasource.DataSource {
	return dataSources()
}

func (p *opsauditProvider) Resources(context.Context) []func() resource.Resource { return nil }

var _ provider.ProviderWithEphemeralResources = (*opsauditProvider)(nil)

func (p *opsauditProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return ephemeralResources()
}

// baseURL validates an endpoint override: an absolute http(s) URL with a
// host and neither query nor fragment.
type baseURL struct{}

func (baseURL) Description(context.Context) string { return transport.BaseURLRule }

func (v baseURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v baseURL) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := transport.CheckBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint URL",
			err.Error()+", e.g. https://workspace.cn-north-4.myhuaweicloud.com")
	}
}

// credentialDiagnostics reports, at plan time and contacting nothing,
// what each cloud's credential settings say: an error for settings that
// cannot work (a source configured in part before any complete one, an
// environment value that does not parse), a warning when several sources
// are configured. Settings that configure no source at all are not an
// error here: a data source of that cloud fails at read, naming them.
func credentialDiagnostics(meta *clouds.Meta, diags *diag.Diagnostics) {
	for _, c := range []interface {
		CheckCredentials() error
		CredentialWarnings() []string
	}{meta.Huawei, meta.Ali} {
		if err := c.CheckCredentials(); err != nil && !errors.Is(err, credchain.ErrNoCredentials) {
			diags.AddError("Invalid credential settings", err.Error())
			continue
		}
		for _, w := range c.CredentialWarnings() {
			diags.AddWarning("Several credential sources configured", w)
		}
	}
}
