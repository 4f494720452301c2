# A CI runner on an ECS instance with a RAM role: credentials come from
# the instance metadata service (IMDSv2), and are refreshed before they
# expire. Instance metadata is contacted only because ecs_role_name (or
# ALIBABA_CLOUD_ECS_METADATA) asks for it.
provider "opsaudit" {
  alicloud {
    region        = "cn-hangzhou"
    ecs_role_name = "ci-runner"
  }
}

data "opsaudit_alicloud_oos_execution_logs" "deploy" {
  execution_id = "exec-0123456789abcdef"
}
