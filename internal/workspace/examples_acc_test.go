package workspace_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// example is the documentation's example of typeName: the basic example
// and the policy-check example, one configuration.
func example(t *testing.T, typeName string) string {
	t.Helper()
	var out string
	for _, f := range []string{"data-source.tf", "policy-check.tf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", typeName, f))
		if err != nil {
			t.Fatal(err)
		}
		out += string(b) + "\n"
	}
	return out
}

// The documentation's examples run against the emulator: their arguments
// validate (plantimestamp and timeadd give RFC 3339 times the window
// accepts), their reads return what the dataset says, and their policy
// checks evaluate to what the data implies.
func TestAccWorkspace_examples(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	data := srv.Data()
	day := scriptFilter{ResourceIDs: []string{"desktop-0001", "desktop-0003"}, Start: "2026-11-20T00:00:00Z", End: "2026-11-20T23:59:59Z"}
	wantDay := day.expect(data)
	alarms := eventFilter{ScreenRecordID: "sr-0001", Level: "ALARM"}
	wantAlarms := alarms.expect(data)
	installs := eventFilter{ScreenRecordID: "sr-0001", ID: "APP_INSTALL"}.expect(data)
	usb := eventFilter{ScreenRecordID: "sr-0001", ID: "HDP_USB"}.expect(data)
	if len(wantDay) == 0 || len(installs) < 6 || len(usb) < 6 {
		t.Fatalf("dataset changed: %d, %d, %d matches", len(wantDay), len(installs), len(usb))
	}

	checks := scriptChecks("day", wantDay, len(wantDay))
	checks = append(checks, eventChecks("alarms", wantAlarms, len(wantAlarms))...)
	checks = append(checks, eventChecks(`forbidden["APP_INSTALL"]`, installs[:5], len(installs))...)
	checks = append(checks, eventChecks(`forbidden["HDP_USB"]`, usb[:5], len(usb))...)
	checks = append(checks,
		acctest.ExpectCheckStatus("no_failed_hardening_script", "pass"),
		acctest.ExpectCheckStatus("no_app_install_or_usb", "fail"),
	)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + example(t, scriptType) + example(t, eventsType),
			ConfigVariables: config.Variables{
				"resource_group_id": config.StringVariable("rg-01"),
				// No such script: the window is relative to the clock, so
				// only a policy over nothing has an outcome known in advance.
				"hardening_scripts": config.ListVariable(config.StringVariable("no-such-script")),
				"screen_record_id":  config.StringVariable("sr-0001"),
			},
			ConfigStateChecks: checks,
			// A data source inside a check block is read again at every
			// apply, so the plan after apply always shows that read.
			ExpectNonEmptyPlan: true,
		}, {
			// Leave an empty state: the harness's final state shim does not
			// support for_each instances.
			Config: acctest.ProviderConfig(srv),
		}},
	})
}
