package workspace_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// terraformBlock is an example's terraform block (required_providers)
// with the comment above it: the test harness writes its own.
var terraformBlock = regexp.MustCompile(`(?ms)^(#[^\n]*\n)*terraform \{\n.*?^\}\n`)

// example is the documentation's example of typeName: the basic example
// and the policy-check example, one configuration, without the terraform
// block.
func example(t *testing.T, typeName string) string {
	t.Helper()
	var out string
	for _, f := range []string{"data-source.tf", "policy-check.tf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", typeName, f))
		if err != nil {
			t.Fatal(err)
		}
		out += terraformBlock.ReplaceAllString(string(b), "") + "\n"
	}
	return out
}

// The documentation's examples run against the emulator: their arguments
// validate (plantimestamp and timeadd give RFC 3339 times the window
// accepts), their reads return what the dataset says, and their policy
// gates decide what the data implies: the desktop events gate stops the
// plan on sr-0001's APP_INSTALL and HDP_USB events, naming them, and
// passes a recording without them.
func TestAccWorkspace_examples(t *testing.T) {
	data := emulator.Generate(emulator.DefaultSeed, emulator.DefaultSizes())
	data.ScreenRecords()["sr-clean"] = []emulator.DesktopEvent{{ID: "ev-clean-1", ProjectID: data.Projects[emulator.DemoRegionHuawei],
		DesktopID: "desktop-0009", ScreenRecordID: "sr-clean", Username: "audited", EventType: "APP", EventLevel: "INFO",
		EventID: "APP_START", EventData: "WeLink is started.", OperationTime: "2026-11-19 10:00:00", RelativeStartTime: 3}}
	srv := acctest.Emulator(t, emulator.Options{Data: data})
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
	checks = append(checks, eventChecks(`forbidden["APP_INSTALL"]`, nil, 0)...)
	checks = append(checks, eventChecks(`forbidden["HDP_USB"]`, nil, 0)...)

	cfg := acctest.ProviderConfig(srv) + example(t, scriptType) + example(t, eventsType)
	vars := func(recording string) config.Variables {
		return config.Variables{
			"resource_group_id": config.StringVariable("rg-01"),
			// No such script: the window is relative to the clock, so
			// only a policy over nothing has an outcome known in advance.
			"hardening_scripts": config.ListVariable(config.StringVariable("no-such-script")),
			"screen_record_id":  config.StringVariable(recording),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: vars("sr-0001"),
			ExpectError: acctest.DiagnosticPattern("Resource postcondition failed",
				fmt.Sprintf("%d APP_INSTALL event(s) in screen recording sr-0001, e.g. APP_INSTALL by %s at %s: %s",
					len(installs), installs[0].Username, installs[0].OperationTime, installs[0].EventData)),
		}, {
			Config:            cfg,
			ConfigVariables:   vars("sr-clean"),
			ConfigStateChecks: checks,
		}, {
			// Leave an empty state: the harness's final state shim does not
			// support for_each instances.
			Config: acctest.ProviderConfig(srv),
		}},
	})
}
