# Endpoint overrides, e.g. for a private or regional gateway. Keys are
# checked at plan time: an unknown key is an error listing the known ones.
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
    cloud  = "myhuaweicloud.com"
    endpoints = {
      iam       = "https://iam.cn-north-4.myhuaweicloud.com"
      workspace = "https://workspace.cn-north-4.myhuaweicloud.com"
      secmaster = "https://secmaster.cn-north-4.myhuaweicloud.com"
    }
  }

  alicloud {
    region = "cn-hangzhou"
    endpoints = {
      oos = "https://oos.cn-hangzhou.aliyuncs.com"
    }
  }
}
