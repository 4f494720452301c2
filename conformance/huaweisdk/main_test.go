// Package huaweisdk drives huaweicloud-sdk-go-v3 against the emulator:
// Workspace ListScriptRecords and ListDesktopOperations, SecMaster
// ListPlaybookAuditLogs, IAM project lookup (the SDK's own, and
// KeystoneListProjects), agency temporary keys, sts v1 AssumeAgency (IAM
// v5, from permanent keys and in a chain) and the SDK's OIDC federation;
// and the provider's own credential requests (IAM v5 AssumeAgency, the
// id-token exchange) against the SDK's, shape for shape. Each call is made with filters, hostile values and paging to
// the end; every call must be accepted, every answer decoded with no
// field lost (the answer's raw JSON against the SDK's model), and the
// totals must equal the emulator's data.
package huaweisdk

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
)

var env *emutest.Env

func TestMain(m *testing.M) { emutest.Main(m, &env, nil) }
