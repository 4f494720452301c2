package listread_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// twinCase is one API's ephemeral resource under test, from the
// emulator's fixture of its API (acctest.Fixtures): the arguments of a
// read of one parent, the list attribute holding its items, and where to
// hide a marker, a value found in no configuration, in the first of them:
// the field that can hold what should not be stored (playbook input,
// script reason, event data, log message).
type twinCase struct {
	emulator.Fixture
	typeName string
	list     string
}

// twinCases are every API of the catalog, in its order; one without an
// emulator fixture fails every test here (acctest.Fixtures).
var twinCases = func() []twinCase {
	var out []twinCase
	for _, f := range acctest.Fixtures() {
		out = append(out, twinCase{Fixture: f, typeName: f.TypeName, list: catalog.ByTypeName(f.TypeName).Spec().List})
	}
	return out
}()

// smallSizes keep each read to a page or two.
func smallSizes() emulator.Sizes {
	return acctest.FixtureSizes(func(emulator.Fixture) int { return 30 })
}

// marked starts an emulator whose data hides marker in tc's items and
// returns it with the arguments (HCL) selecting them.
func marked(t *testing.T, tc twinCase, marker string) (*emulator.Server, string) {
	t.Helper()
	d := emulator.Generate(emulator.DefaultSeed, smallSizes())
	tc.Mark(d, marker)
	return acctest.Emulator(t, emulator.Options{Data: d}), strings.TrimSpace(acctest.HCLArgs(tc.Args))
}

// Each ephemeral resource returns what its data source returns, every
// attribute equal (the id too), so that a check block over it passes or
// fails on the records: one check finds the marker in them, one asserts
// it is absent and fails. A postcondition on it fails the plan, with its
// own message.
func TestAccEphemeralChecksAndPostcondition(t *testing.T) {
	for _, tc := range twinCases {
		t.Run(tc.typeName, func(t *testing.T) {
			marker := "opsaudit-check-marker-" + tc.list
			srv, args := marked(t, tc, marker)
			found := fmt.Sprintf(`anytrue([for i in ephemeral.%s.x.%s : strcontains(jsonencode(i), %q)])`, tc.typeName, tc.list, marker)
			checks := acctest.ProviderConfig(srv) + fmt.Sprintf(`
ephemeral %[1]q "x" {
  %[2]s
}

data %[1]q "x" {
  %[2]s
}

check "same_as_data_source" {
  assert {
    condition     = jsonencode(ephemeral.%[1]s.x) == jsonencode(data.%[1]s.x) && length(ephemeral.%[1]s.x.%[3]s) > 0
    error_message = "The ephemeral resource differs from the data source."
  }
}

check "marker_found" {
  assert {
    condition     = %[4]s
    error_message = "The marker is not in the result."
  }
}

check "marker_absent" {
  assert {
    condition     = !%[4]s
    error_message = "The marker is in the result."
  }
}

resource "terraform_data" "keep" {
  input = "state"
}
`, tc.typeName, args, tc.list, found)
			postcondition := acctest.ProviderConfig(srv) + fmt.Sprintf(`
ephemeral %[1]q "x" {
  %[2]s

  lifecycle {
    postcondition {
      condition     = length(self.%[3]s) == 0
      error_message = "Policy violated: %[1]s returned records."
    }
  }
}
`, tc.typeName, args, tc.list)

			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config: checks,
					ConfigStateChecks: []statecheck.StateCheck{
						acctest.ExpectCheckStatus("same_as_data_source", "pass"),
						acctest.ExpectCheckStatus("marker_found", "pass"),
						acctest.ExpectCheckStatus("marker_absent", "fail"),
					},
				}, {
					Config:      postcondition,
					ExpectError: acctest.DiagnosticPattern("Resource postcondition failed", "Policy violated: "+tc.typeName+" returned records."),
				}},
			})
		})
	}
}

// After an apply, nothing of what an ephemeral resource returned is in the
// state file or in the saved plan the apply used (terraform plan -out;
// every file of the plan's archive, and its terraform show -json), while
// a check over it passed. The same configuration with the data source
// instead leaves the marker in both: the search can find it.
func TestAccEphemeralLeavesNoTrace(t *testing.T) {
	for _, kind := range []string{"ephemeral", "data"} {
		for _, tc := range twinCases {
			t.Run(kind+"/"+tc.typeName, func(t *testing.T) {
				dir := t.TempDir()
				t.Setenv("TF_ACC_TEMP_DIR", dir) // where terraform-plugin-testing keeps its working directories
				marker := fmt.Sprintf("opsaudit-trace-marker-%s-%s", kind, tc.list)
				srv, args := marked(t, tc, marker)
				config := acctest.ProviderConfig(srv) + fmt.Sprintf(`
%[4]s %[1]q "x" {
  %[2]s
}

check "read" {
  assert {
    condition     = length(%[4]s.%[1]s.x.%[3]s) > 0
    error_message = "Nothing was read."
  }
}

resource "terraform_data" "keep" {
  input = "state"
}
`, tc.typeName, args, tc.list, kind)
				want := kind == "data" // the data source leaves the marker behind
				resource.UnitTest(t, resource.TestCase{
					TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
					ProtoV6ProviderFactories: acctest.Factories(0),
					Steps: []resource.TestStep{{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							planContains{marker: marker, want: want},
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							acctest.ExpectCheckStatus("read", "pass"),
							stateContains{marker: marker, want: want},
							acctest.CheckFunc(func() error { return filesContain(dir, marker, want) }),
						},
					}},
				})
			})
		}
	}
}

// planContains checks whether the saved plan, as terraform show -json
// gives it, holds marker.
type planContains struct {
	marker string
	want   bool
}

func (c planContains) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if got := bytes.Contains(b, []byte(c.marker)); got != c.want {
		resp.Error = fmt.Errorf("terraform show -json of the saved plan holds the marker: %t, want %t", got, c.want)
	}
}

// stateContains checks whether the state, as terraform show -json gives
// it, holds marker.
type stateContains struct {
	marker string
	want   bool
}

func (c stateContains) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if got := bytes.Contains(b, []byte(c.marker)); got != c.want {
		resp.Error = fmt.Errorf("terraform show -json of the state holds the marker: %t, want %t", got, c.want)
	}
}

// filesContain checks the state file and the saved plan of the working
// directory under dir: the plan is a zip archive, so each of its files is
// searched uncompressed. Both must exist.
func filesContain(dir, marker string, want bool) error {
	var state, plan []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch d.Name() {
		case "terraform.tfstate":
			state = append(state, p)
		case "tfplan":
			plan = append(plan, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(state) != 1 || len(plan) != 1 {
		return fmt.Errorf("want one state file and one saved plan under %s, found %q and %q", dir, state, plan)
	}
	b, err := os.ReadFile(state[0])
	if err != nil {
		return err
	}
	if got := bytes.Contains(b, []byte(marker)); got != want {
		return fmt.Errorf("the state file holds the marker: %t, want %t", got, want)
	}
	zr, err := zip.OpenReader(plan[0])
	if err != nil {
		return fmt.Errorf("the saved plan: %w", err)
	}
	defer zr.Close()
	var holding []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(marker)) {
			holding = append(holding, f.Name)
		}
	}
	if got := len(holding) > 0; got != want {
		return fmt.Errorf("the saved plan's files holding the marker: %s; want some: %t", strings.Join(holding, ", "), want)
	}
	return nil
}
