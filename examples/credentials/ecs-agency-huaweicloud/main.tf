# A CI runner on an ECS instance with an agency attached: credentials come
# from the instance metadata service (a session token, then
# /openstack/latest/securitykey) and are refreshed before they expire.
# Instance metadata is contacted only because use_ecs_metadata (or
# HW_USE_ECS_METADATA=true) asks for it.
provider "opsaudit" {
  huaweicloud {
    region           = "cn-north-4"
    use_ecs_metadata = true
  }
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "hardening" {
  script_names       = ["harden-desktop"]
  execute_time_start = timeadd(plantimestamp(), "-24h")
}
