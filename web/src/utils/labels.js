/*
 * Chinese names of the audit trail's actions and entities.  Unknown codes
 * (from modules newer than this page) are shown as they are.
 */
export const AUDIT_ACTIONS = {
  'session.login': '登录',
  'session.login_failed': '登录失败',
  'session.login_refused': '拒绝登录',
  'session.logout': '退出登录',
  'org.create': '新建单位',
  'org.update': '修改单位',
  'org.move': '移动单位',
  'org.delete': '删除单位',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.lock': '停用账户',
  'user.unlock': '启用账户',
  'user.password_change': '修改密码',
  'user.password_change_failed': '修改密码失败',
  'user.password_reset': '重置密码',
  'grant.create': '授予角色',
  'grant.delete': '撤销角色',
  'duty.create': '设置分工',
  'duty.delete': '取消分工',
  'committee.create': '新建领导小组',
  'committee.update': '修改领导小组',
  'committee.delete': '删除领导小组',
}

export const AUDIT_ENTITIES = {
  session: '会话',
  org: '单位',
  user: '用户',
  grant: '授权',
  duty: '分工',
  committee: '领导小组',
}

export const SCOPES = {
  self: '本单位',
  subtree: '本单位及下级',
}

export function label(map, code) {
  return map[code] || code
}
