// Package alisdk drives Alibaba Cloud's official Go clients against the
// emulator: darabonba-openapi's generic CallApi for OOS
// ListExecutionLogs and STS, signed both ways darabonba signs (ACS3 by
// default, the RPC signature of SignatureVersion 1.0 when asked), and
// credentials-go's providers (ram_role_arn, oidc_role_arn, ecs_ram_role
// with and without a role name, credentials_uri, the CLI profile); and
// the provider's own STS requests against credentials-go's, shape for
// shape. Each
// call is made with filters, hostile values and paging to the end; every
// call must be accepted, every answer decoded with no field lost, and the
// totals must equal the emulator's data.
package alisdk

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
)

var env *emutest.Env

func TestMain(m *testing.M) { emutest.Main(m, &env, nil) }
