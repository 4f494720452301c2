# terraform test (or tofu test) for this check, offline: against the local
# cloud emulator serving ../fixture.json (data written for these tests),
# so each run below asserts the verdict that data implies. From the
# repository root:
#
#   make emulator EMULATOR_FLAGS="-fixture examples/policy-checks/fixture.json"
#
# then, in this directory: terraform test (or tofu test). No terraform init
# is needed under a dev override (see ../README.md). make test runs this
# file the same way against an emulator of its own (internal/examplestest).

variables {
  resource_group_id = "rg-01"
  window_end        = "2026-11-20T12:00:00Z"
}

# Replaces the configuration's provider block in every run: the emulator's
# address (make emulator's default; change it if yours listens elsewhere)
# and its public demo credentials.
provider "opsaudit" {
  huaweicloud {
    region     = "cn-north-4"
    access_key = "OPSAUDITDEMOHWAK0001"
    secret_key = "opsaudit-demo-huawei-secret-key-0001"
    endpoints  = { iam = "http://127.0.0.1:8787", workspace = "http://127.0.0.1:8787", secmaster = "http://127.0.0.1:8787" }
  }
}

# desktop-0002 has a successful install-agent run on 2026-11-20,
# desktop-0001 only a FAILED one: the postcondition stops the plan.
run "uncovered_desktop_fails_the_plan" {
  command = plan

  variables {
    desktop_ids = ["desktop-0001", "desktop-0002"]
  }

  expect_failures = [data.opsaudit_huaweicloud_workspace_script_execution_records.succeeded]
}

run "warn_only_names_the_uncovered_desktop" {
  command = plan

  variables {
    desktop_ids = ["desktop-0001", "desktop-0002"]
    enforce     = false
  }

  expect_failures = [check.hardening_covers_every_desktop]

  assert {
    condition     = output.desktops_without_success == tolist(["desktop-0001"])
    error_message = "Want desktop-0001 alone without a successful run, got ${jsonencode(output.desktops_without_success)}."
  }
}

run "covered_desktop_passes" {
  command = plan

  variables {
    desktop_ids = ["desktop-0002"]
  }

  assert {
    condition     = length(output.desktops_without_success) == 0
    error_message = "Want desktop-0002 covered, got ${jsonencode(output.desktops_without_success)}."
  }
}

# No run at all in the window is no evidence: the check fails.
run "empty_window_is_no_evidence" {
  command = plan

  variables {
    desktop_ids = ["desktop-0002"]
    window_end  = "2026-11-14T00:00:00Z"
    enforce     = false
  }

  expect_failures = [check.hardening_covers_every_desktop]
}
