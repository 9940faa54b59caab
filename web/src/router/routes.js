/*
 * The routes of the application.  Pages inside the layout are grouped by
 * module (组织机构, 安全审计, and the modules still to come: 工作台,
 * 工作要点, 台账, 考核); the left menu and the breadcrumbs are built from
 * this table:
 *   meta.title   menu text, breadcrumb and window title
 *   meta.icon    name of an @element-plus/icons-vue icon (see layout/icons.js)
 *   meta.roles   roles of which the user needs at least one, in any unit
 *   meta.hidden  not in the menu (detail pages, error pages)
 * A module is a route with children and no component of its own.  Every
 * page is loaded lazily, so the login page loads none of them.
 */
const Layout = () => import('@/layout/AppLayout.vue')

export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'secretary', 'leader', 'office']

export const layoutChildren = [
  {
    path: 'home',
    name: 'home',
    component: () => import('@/views/home/HomeView.vue'),
    meta: { title: '首页', icon: 'HomeFilled' },
  },
  {
    path: 'org',
    redirect: '/org/units',
    meta: { title: '组织机构', icon: 'OfficeBuilding' },
    children: [
      {
        path: 'units',
        name: 'units',
        component: () => import('@/views/org/UnitList.vue'),
        meta: { title: '单位管理', icon: 'Operation' },
      },
      {
        path: 'units/:id(\\d+)',
        name: 'unit',
        component: () => import('@/views/org/UnitDetail.vue'),
        meta: { title: '单位详情', hidden: true, parent: 'units' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('@/views/user/UserList.vue'),
        meta: { title: '用户管理', icon: 'User', roles: ADMIN_ROLES },
      },
      {
        path: 'committees',
        name: 'committees',
        component: () => import('@/views/committee/CommitteeList.vue'),
        meta: { title: '领导小组', icon: 'Flag' },
      },
    ],
  },
  {
    path: 'audit',
    redirect: '/audit/logs',
    meta: { title: '安全审计', icon: 'Lock', roles: ['auditor'] },
    children: [
      {
        path: 'logs',
        name: 'audit',
        component: () => import('@/views/audit/AuditLog.vue'),
        meta: { title: '审计日志', icon: 'Tickets', roles: ['auditor'] },
      },
    ],
  },
  {
    path: '403',
    name: 'forbidden',
    component: () => import('@/views/error/ForbiddenView.vue'),
    meta: { title: '无权访问', hidden: true },
  },
  {
    path: ':pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/NotFoundView.vue'),
    meta: { title: '页面不存在', hidden: true },
  },
]

export const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/LoginView.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/password',
    name: 'password',
    component: () => import('@/views/login/PasswordView.vue'),
    meta: { title: '修改密码', passwordPage: true },
  },
  {
    path: '/',
    component: Layout,
    redirect: '/home',
    children: layoutChildren,
  },
]
