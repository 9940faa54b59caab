/*
 * Chinese names of the JSON fields the API takes, so that validation messages
 * read "名称不能为空" rather than naming a key.  A key without an entry is
 * shown as "字段 key".
 */
#include "core/common.h"
#include "http/http.h"

static const char *const labels[][2] = {
	{"login", "登录名"},
	{"password", "密码"},
	{"old_password", "原密码"},
	{"new_password", "新密码"},
	{"name", "名称"},
	{"kind", "类型"},
	{"parent_id", "上级单位"},
	{"org_id", "所属单位"},
	{"role", "角色"},
	{"scope", "权限范围"},
	{"area", "分管领域"},
	{"position", "职务"},
	{"title", "职务名称"},
	{"members", "成员"},
	{"user_id", "用户"},
	{"locked", "锁定状态"},
	{"sort", "排序"},
	{"temporary", "临时密码"},
	{"date", "日期"},
	{"place", "地点"},
	{"host", "主持人"},
	{"participants", "参加人员"},
	{"expected", "应到人数"},
	{"attended", "实到人数"},
	{"absentees", "缺席人员"},
	{"agenda", "议程"},
	{"minutes", "记录内容"},
	{"resolutions", "决议事项"},
	{"min", "次数"},
	{"period", "周期"},
	{"year", "年度"},
	{"plan_item_id", "计划事项"},
	{"as_of", "截至日期"},
	{"from", "开始日期"},
	{"to", "结束日期"},
};

const char *http_field_label(const char *key)
{
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(labels); i++)
		if (!strcmp(labels[i][0], key))
			return labels[i][1];
	return "该字段";
}
