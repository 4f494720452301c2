// Package clouds is what the data sources need to know about the clouds:
// the provider's data (Meta: both clouds' clients and the read settings),
// credential checks, where a read goes (the Huawei and Alibaba scopes with
// their region and project arguments), diagnostics for the clouds' API
// errors, decode errors, and the page fetches of each cloud's list calls.
// The generic reads (internal/listread) know none of it.
package clouds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Meta is what the provider hands to every data source once configured.
type Meta struct {
	Huawei *huaweicloud.Client
	Ali    *alicloud.Client
	// Settings are the provider-wide read settings (max_parallel_requests).
	Settings listread.Settings
}

var _ listread.Provider = (*Meta)(nil)

// ReadSettings returns the read settings, at least one request in flight.
func (m *Meta) ReadSettings() listread.Settings {
	s := m.Settings
	s.Parallel = max(1, s.Parallel)
	return s
}

// AddError adds err as an error diagnostic under summary (a phrase a
// user can search for, e.g. "Unable to list OOS execution logs"). The
// detail carries what the error carries, each fact once: for API errors
// the operation and what the read was doing, the HTTP status, the API's
// code and message, the request id (and Alibaba's host id), then what to
// check when the client knows (a refused Huawei signature); for transport
// errors the operation, host and attempts.
func (m *Meta) AddError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, m.mask(errorDetail(err)))
}

// errorDetail renders err for a diagnostic. An API error is given as
//
//	ListExecutionLogs failed (reading page 1):
//
//	HTTP status: 400 Bad Request
//	Error code: SignatureDoesNotMatch
//	Error message: ...
//	Request ID: ...
//
// followed by the client's hint, if any; what wraps the API error in err
// (the read's context) is kept, the API error's one-line text is not
// repeated.
func errorDetail(err error) string {
	var ae *apierror.APIError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	text := ae.Error() // the API error's own text, as wrapped in err
	full := err.Error()
	var before, after string
	if i := strings.LastIndex(full, text); i >= 0 {
		before = strings.TrimSuffix(strings.TrimSpace(full[:i]), ":")
		after = strings.TrimSpace(strings.TrimPrefix(full[i+len(text):], ":"))
	}
	var b strings.Builder
	b.WriteString(orNone(ae.Operation))
	b.WriteString(" failed")
	if before != "" {
		b.WriteString(" (" + before + ")")
	}
	b.WriteString(":\n\nHTTP status: " + strings.TrimSpace(fmt.Sprintf("%d %s", ae.Status, http.StatusText(ae.Status))))
	b.WriteString("\nError code: " + orNone(ae.Code))
	b.WriteString("\nError message: " + orNone(ae.Message))
	b.WriteString("\nRequest ID: " + orNone(ae.RequestID))
	if ae.HostID != "" {
		b.WriteString("\nHost ID: " + ae.HostID)
	}
	if after != "" {
		b.WriteString("\n\n" + after)
	}
	if ae.Hint != "" {
		b.WriteString("\n\n" + ae.Hint)
	}
	return b.String()
}

// mask masks every secret the clients' transport knows in text: the
// diagnostic is written as it is to Terraform's output and, by the plugin
// SDK, to the TF_LOG log, whatever masking the provider's own log lines
// have.
func (m *Meta) mask(text string) string {
	if m == nil {
		return apierror.StripFormat(text)
	}
	if m.Huawei != nil {
		text = m.Huawei.Mask(text)
	}
	if m.Ali != nil {
		text = m.Ali.Mask(text)
	}
	return apierror.StripFormat(text)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// meta returns the provider's data as a Meta.
func meta(p listread.Provider) (*Meta, error) {
	m, ok := p.(*Meta)
	if !ok || m == nil {
		return nil, errNotConfigured{}
	}
	return m, nil
}

// HuaweiScope is where a Huawei Cloud read goes.
type HuaweiScope struct {
	Client          *huaweicloud.Client
	Region, Project string
}

// Huawei is the scope of Huawei Cloud reads: the region and project_id
// arguments, else the provider's settings, else (project) the IAM lookup.
// The id counts the resolved region and project.
var Huawei = listread.Scope[HuaweiScope]{
	Cloud: "Huawei Cloud",
	Args: []listread.Attribute{
		withSends(RegionArgument("huaweicloud", "`HW_REGION_NAME`"), "none: selects the endpoint and, without `project_id`, the IAM project", ""),
		projectIDArgument(),
	},
	Resolve: func(ctx context.Context, p listread.Provider, args listread.Args) (HuaweiScope, []string, error) {
		c, r, err := clientIn(p, args, func(m *Meta) (*huaweicloud.Client, bool) { return m.Huawei, m.Huawei != nil })
		if err != nil {
			return HuaweiScope{}, nil, err
		}
		proj, err := c.ProjectID(ctx, r, args.String("project_id"))
		if err != nil {
			return HuaweiScope{}, nil, err
		}
		return HuaweiScope{Client: c, Region: r, Project: proj}, []string{r, proj}, nil
	},
}

// AliScope is where an Alibaba Cloud read goes.
type AliScope struct {
	Client *alicloud.Client
	Region string
}

// Ali is the scope of Alibaba Cloud reads: the region argument, else the
// provider's. The id counts the resolved region.
var Ali = listread.Scope[AliScope]{
	Cloud: "Alibaba Cloud",
	Args: []listread.Attribute{withSends(RegionArgument("alicloud", "`ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`; sent as `RegionId`"),
		"`RegionId`; also selects the endpoint", "query")},
	Resolve: func(_ context.Context, p listread.Provider, args listread.Args) (AliScope, []string, error) {
		c, r, err := clientIn(p, args, func(m *Meta) (*alicloud.Client, bool) { return m.Ali, m.Ali != nil })
		if err != nil {
			return AliScope{}, nil, err
		}
		return AliScope{Client: c, Region: r}, []string{r}, nil
	},
}

// regionalClient is what both clouds' clients offer a scope.
type regionalClient interface {
	CheckCredentials() error
	Region(override string) (string, error)
}

// clientIn returns the client pick takes from the provider's data, after
// checking its credentials, and the region of the read: the region
// argument, else the client's.
func clientIn[C regionalClient](p listread.Provider, args listread.Args, pick func(*Meta) (C, bool)) (c C, region string, err error) {
	m, err := meta(p)
	if err != nil {
		return c, "", err
	}
	c, ok := pick(m)
	if !ok {
		return c, "", errNotConfigured{}
	}
	if err := c.CheckCredentials(); err != nil {
		return c, "", err
	}
	region, err = c.Region(args.String("region"))
	return c, region, err
}

// RegionArgument is the optional region override of the provider's
// blockName block.
func RegionArgument(blockName string, envVars string) listread.Attribute {
	return listread.Attribute{
		Name: "region", Kind: listread.String,
		Description: fmt.Sprintf("Region to read from, overriding `region` of the provider's `%s` block (%s).",
			blockName, envVars),
		Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// withSends is a with what it does at the API, for the documentation
// (listread.Attribute.Sends): the client, not the request builder, sends
// a region.
func withSends(a listread.Attribute, sends, in string) listread.Attribute {
	a.Sends, a.SendsIn = sends, in
	return a
}

// projectIDArgument is the optional Huawei project override: {project_id}
// of the request paths (HuaweiList.Path), filled from the resolved scope.
func projectIDArgument() listread.Attribute {
	return listread.Attribute{
		Name: "project_id", Kind: listread.String, Path: "project_id",
		Description: "Huawei Cloud project to read from, overriding `project_id` of the provider's `huaweicloud` block " +
			"(`HW_PROJECT_ID`). When neither is set, the project named after the region is looked up once through IAM.",
		Strings: []validator.String{stringvalidator.RegexMatches(projectIDPattern,
			"must be a project ID: letters, digits, '-' and '_' only (it becomes a segment of the request path)")},
	}
}

// projectIDPattern is what a project id may hold: it is a path segment.
var projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// errNotConfigured: a read before the provider's Configure, or without
// the cloud's client.
type errNotConfigured struct{}

func (errNotConfigured) Error() string { return "The provider is not configured." }
