// Package floor is the floor of the end-to-end benchmark
// (scripts/bench-e2e.sh; served by internal/bench/floorprovider): a
// minimal terraform-plugin-framework provider, registry address
// registry.terraform.io/opsaudit/floor, whose one data source
// floor_audit_logs has exactly the schema of
// opsaudit_huaweicloud_secmaster_playbook_audit_logs and answers with the
// same audit logs, made in memory instead of read from an API. Its state is
// built the same fast way (tftypes values, tfvalue.State), so a
// `terraform apply` reading it costs what Terraform and the plugin
// framework cost and nothing more: no framework provider can go below it.
//
//	provider "floor" { audit_logs = 10000 }
//	data "floor_audit_logs" "all" { workspace_id = "ws-0001" }
//
// The logs are the emulator's (emulator.Generate with the default seed, one
// workspace of audit_logs logs), so the state equals the real provider's
// reading the emulator started with -workspaces 1 -audit-logs N, id aside.
//
// With bypass_framework = true in the provider block, ReadDataSource is
// answered below the framework, the way the opsaudit provider answers it
// (readserver.NewProtocol6): the same Read, without what the framework does
// after it (semantic equality over the whole state, null block
// reification). That floor is Terraform's own cost, plus the msgpack
// encoding of the state, which any provider has to do.
package floor

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/readserver"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// Address is the floor provider's registry address.
const Address = "registry.terraform.io/opsaudit/floor"

// Server returns the protocol 6 server factory of a new floor provider.
func Server() func() tfprotov6.ProviderServer {
	return readserver.NewProtocol6(&floorProvider{})
}

// floorProvider is the provider; Configure records its settings here.
type floorProvider struct {
	n      atomic.Int64
	bypass atomic.Bool
}

// DataSourceData is what Configure handed to the data source when the
// reads are to be answered below the framework, else nil: the framework
// answers them.
func (p *floorProvider) DataSourceData() any {
	if !p.bypass.Load() {
		return nil
	}
	return int(p.n.Load())
}

func (p *floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (p *floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Benchmark floor: emits generated audit logs from memory.",
		Attributes: map[string]schema.Attribute{
			"audit_logs": schema.Int64Attribute{Required: true, MarkdownDescription: "Number of audit logs to emit."},
			"bypass_framework": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Answer ReadDataSource below the plugin tfvalue.",
			},
		},
	}
}

func (p *floorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg struct {
		AuditLogs types.Int64 `tfsdk:"audit_logs"`
		Bypass    types.Bool  `tfsdk:"bypass_framework"`
	}
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p.n.Store(cfg.AuditLogs.ValueInt64())
	p.bypass.Store(cfg.Bypass.ValueBool())
	resp.DataSourceData = int(cfg.AuditLogs.ValueInt64())
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource {
		return &auditLogs{real: listread.DataSource(secmaster.PlaybookAuditLogs)()}
	}}
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource { return nil }

// auditLogs borrows the real data source's schema and config validators.
type auditLogs struct {
	real datasource.DataSource
	n    int
}

var (
	_ datasource.DataSourceWithConfigure        = (*auditLogs)(nil)
	_ datasource.DataSourceWithConfigValidators = (*auditLogs)(nil)
)

func (d *auditLogs) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "floor_audit_logs"
}

func (d *auditLogs) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (d *auditLogs) ConfigValidators(ctx context.Context) []datasource.ConfigValidator {
	if v, ok := d.real.(datasource.DataSourceWithConfigValidators); ok {
		return v.ConfigValidators(ctx)
	}
	return nil
}

func (d *auditLogs) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	if n, ok := req.ProviderData.(int); ok {
		d.n = n
	}
}

func (d *auditLogs) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if err := buildState(ctx, req.Config.Raw, resp, d.n); err != nil {
		resp.Diagnostics.AddError("Building the state", err.Error())
	}
}

// buildState sets resp.State to the configuration and n generated logs,
// the way the real data source builds its state.
func buildState(ctx context.Context, config tftypes.Value, resp *datasource.ReadResponse, n int) error {
	logs := emulator.Generate(emulator.DefaultSeed, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: n}).
		Workspaces()[emulator.WorkspaceID(1)]
	typ, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return fmt.Errorf("the schema is not an object")
	}
	logType, ok := tfvalue.ElementType(typ, "audit_logs").(tftypes.Object)
	if !ok {
		return fmt.Errorf("audit_logs is not a list of objects")
	}
	vals := make([]tftypes.Value, 0, len(logs))
	counts := map[string]int64{}
	for i := range logs {
		l := &logs[i]
		vals = append(vals, tftypes.NewValue(logType, map[string]tftypes.Value{
			"instance_type": tfvalue.String(l.InstanceType), "action_id": tfvalue.String(l.ActionID),
			"action_name": tfvalue.String(l.ActionName), "instance_id": tfvalue.String(l.InstanceID),
			"parent_instance_id": tfvalue.String(l.ParentInstanceID), "log_level": tfvalue.String(l.LogLevel),
			"input": tfvalue.String(l.Input), "output": tfvalue.String(l.Output),
			"error_msg": tfvalue.String(l.ErrorMsg), "start_time": tfvalue.String(l.StartTime),
			"end_time": tfvalue.String(l.EndTime), "status": tfvalue.String(l.Status),
			"trigger_type": tfvalue.String(l.TriggerType),
		}))
		counts[l.Status]++
	}
	state, err := tfvalue.State(config, map[string]tftypes.Value{
		"id":            tfvalue.String("floor"),
		"total_count":   tfvalue.Int64(int64(len(logs))),
		"audit_logs":    tfvalue.List(logType, vals),
		"status_counts": tfvalue.CountMap(counts),
	})
	if err != nil {
		return err
	}
	resp.State.Raw = state
	return nil
}
