// Package framework holds what every data source shares, so that a data
// source file is only its schema, its request and its converter: the
// provider data handed to data sources, a base type supplying Configure,
// the common arguments (id, max_items, region, project_id), deterministic
// ids, diagnostics for API errors, and the fast path from decoded API items
// to Terraform state (state.go).
package framework

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Meta is what the provider hands to every data source once configured.
type Meta struct {
	Huawei *huaweicloud.Client
	Ali    *alicloud.Client
	// MaxParallel is max_parallel_requests: page requests in flight for
	// one data source read.
	MaxParallel int
}

// Base supplies Configure; embed it in every data source.
type Base struct {
	Meta *Meta
}

// Configure takes the provider's Meta.
func (b *Base) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // validation before the provider is configured
	}
	m, ok := req.ProviderData.(*Meta)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *framework.Meta, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	b.Meta = m
}

// Parallel returns max_parallel_requests, at least 1.
func (b *Base) Parallel() int {
	if b.Meta == nil || b.Meta.MaxParallel < 1 {
		return 1
	}
	return b.Meta.MaxParallel
}

// HuaweiClient returns the Huawei client after checking its credentials,
// or adds a diagnostic naming what is missing.
func (b *Base) HuaweiClient(diags *diag.Diagnostics, summary string) *huaweicloud.Client {
	if b.Meta == nil || b.Meta.Huawei == nil {
		diags.AddError(summary, "The provider is not configured.")
		return nil
	}
	if err := b.Meta.Huawei.CheckCredentials(); err != nil {
		diags.AddError(summary, err.Error())
		return nil
	}
	return b.Meta.Huawei
}

// AliClient returns the Alibaba client after checking its credentials,
// or adds a diagnostic naming what is missing.
func (b *Base) AliClient(diags *diag.Diagnostics, summary string) *alicloud.Client {
	if b.Meta == nil || b.Meta.Ali == nil {
		diags.AddError(summary, "The provider is not configured.")
		return nil
	}
	if err := b.Meta.Ali.CheckCredentials(); err != nil {
		diags.AddError(summary, err.Error())
		return nil
	}
	return b.Meta.Ali
}

// AddAPIError adds err as an error diagnostic under summary (a phrase a
// user can search for, e.g. "Unable to list OOS execution logs"). The
// detail carries what the error carries: for API errors the HTTP status,
// the API's code and message and the request id; for transport errors the
// operation, host and attempts.
func AddAPIError(diags *diag.Diagnostics, summary string, err error) {
	var hw *huaweicloud.APIError
	var ali *alicloud.APIError
	var te *transport.Error
	detail := err.Error()
	switch {
	case errors.As(err, &hw):
		detail = fmt.Sprintf("%s\n\nHTTP status: %d\nError code: %s\nError message: %s\nRequest ID: %s",
			err.Error(), hw.Status, orNone(hw.Code), orNone(hw.Message), orNone(hw.RequestID))
	case errors.As(err, &ali):
		detail = fmt.Sprintf("%s\n\nHTTP status: %d\nError code: %s\nError message: %s\nRequest ID: %s",
			err.Error(), ali.Status, orNone(ali.Code), orNone(ali.Message), orNone(ali.RequestID))
	case errors.As(err, &te):
		detail = err.Error()
	}
	diags.AddError(summary, detail)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
