/*
 * The routes of the application.  Pages inside the layout are grouped by
 * module (工作台, 工作要点, 台账管理, 考核评价, 组织机构, 安全审计); the left menu and the breadcrumbs are built from
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
    meta: { title: '工作台', icon: 'Odometer' },
  },
  {
    path: 'plans',
    redirect: '/plans/list',
    meta: { title: '工作要点', icon: 'Memo' },
    children: [
      {
        path: 'list',
        name: 'plans',
        component: () => import('@/views/plan/PlanList.vue'),
        meta: { title: '工作计划', icon: 'Tickets' },
      },
      {
        path: ':id(\\d+)',
        name: 'plan',
        component: () => import('@/views/plan/PlanDetail.vue'),
        meta: { title: '计划详情', hidden: true, parent: 'plans' },
      },
      {
        path: 'import',
        name: 'plan-import',
        component: () => import('@/views/plan/PlanImport.vue'),
        meta: { title: '导入工作要点', icon: 'Upload' },
      },
    ],
  },
  {
    path: 'ledger',
    redirect: '/ledger/records',
    meta: { title: '台账管理', icon: 'Notebook' },
    children: [
      {
        path: 'records',
        name: 'records',
        component: () => import('@/views/ledger/RecordList.vue'),
        meta: { title: '台账记录', icon: 'Document' },
      },
      {
        path: 'records/:id(\\d+)',
        name: 'record',
        component: () => import('@/views/ledger/RecordDetail.vue'),
        meta: { title: '台账详情', hidden: true, parent: 'records' },
      },
      {
        path: 'kinds',
        name: 'record-kinds',
        component: () => import('@/views/ledger/RecordKinds.vue'),
        meta: { title: '数据字典', icon: 'Collection' },
      },
    ],
  },
  {
    path: 'reviews',
    redirect: '/reviews/list',
    meta: { title: '宣传审核', icon: 'Stamp' },
    children: [
      {
        path: 'list',
        name: 'reviews',
        component: () => import('@/views/review/ReviewList.vue'),
        meta: { title: '稿件三审', icon: 'DocumentChecked' },
      },
      {
        path: 'new',
        name: 'review-new',
        component: () => import('@/views/review/ReviewEdit.vue'),
        meta: { title: '撰写稿件', hidden: true, parent: 'reviews' },
      },
      {
        path: ':id(\\d+)',
        name: 'review',
        component: () => import('@/views/review/ReviewDetail.vue'),
        meta: { title: '稿件详情', hidden: true, parent: 'reviews' },
      },
      {
        path: ':id(\\d+)/edit',
        name: 'review-edit',
        component: () => import('@/views/review/ReviewEdit.vue'),
        meta: { title: '修改稿件', hidden: true, parent: 'reviews' },
      },
      {
        path: 'config',
        name: 'review-config',
        component: () => import('@/views/review/ReviewConfig.vue'),
        meta: { title: '审核设置', icon: 'Setting', roles: ['secretary', 'sysadmin'] },
      },
    ],
  },
  {
    path: 'incidents',
    redirect: '/incidents/list',
    meta: { title: '舆情事件', icon: 'Warning' },
    children: [
      {
        path: 'list',
        name: 'incidents',
        component: () => import('@/views/incident/IncidentList.vue'),
        meta: { title: '事件处置', icon: 'Bell' },
      },
      {
        path: ':id(\\d+)',
        name: 'incident',
        component: () => import('@/views/incident/IncidentDetail.vue'),
        meta: { title: '事件详情', hidden: true, parent: 'incidents' },
      },
      {
        path: 'inbox',
        name: 'inbox',
        component: () => import('@/views/incident/InboxList.vue'),
        meta: { title: '上报收件箱', icon: 'Message' },
      },
      {
        path: 'stats',
        name: 'incident-stats',
        component: () => import('@/views/incident/IncidentStats.vue'),
        meta: { title: '处置统计', icon: 'Histogram' },
      },
      {
        path: 'limits',
        name: 'incident-limits',
        component: () => import('@/views/incident/IncidentLimits.vue'),
        meta: { title: '处置时限', icon: 'Timer' },
      },
    ],
  },
  {
    path: 'channels',
    redirect: (to) => ({ path: '/channels/list', query: to.query }),
    meta: { title: '阵地管理', icon: 'Monitor' },
    children: [
      {
        path: 'list',
        name: 'channels',
        component: () => import('@/views/channel/ChannelList.vue'),
        meta: { title: '阵地台账', icon: 'Platform' },
      },
    ],
  },
  {
    path: 'assess',
    redirect: '/assess/obligations',
    meta: { title: '考核评价', icon: 'DataAnalysis' },
    children: [
      {
        path: 'obligations',
        name: 'obligations',
        component: () => import('@/views/assess/ObligationList.vue'),
        meta: { title: '任务指标', icon: 'List' },
      },
      {
        path: 'compliance',
        name: 'compliance',
        component: () => import('@/views/assess/ComplianceView.vue'),
        meta: { title: '完成情况', icon: 'Histogram' },
      },
    ],
  },
  {
    path: 'problems',
    redirect: '/problems/list',
    meta: { title: '问题整改', icon: 'List' },
    children: [
      {
        path: 'list',
        name: 'problems',
        component: () => import('@/views/rectify/ProblemList.vue'),
        meta: { title: '问题清单', icon: 'Tickets' },
      },
      /* The links of measure reminders name a problem by this path. */
      {
        path: ':id(\\d+)',
        name: 'problem',
        component: () => import('@/views/rectify/ProblemDetail.vue'),
        meta: { title: '问题详情', hidden: true, parent: 'problems' },
      },
      {
        path: 'import',
        name: 'problem-import',
        component: () => import('@/views/rectify/ProblemImport.vue'),
        meta: { title: '从报告导入', icon: 'Upload' },
      },
      {
        path: 'rollup',
        name: 'problem-rollup',
        component: () => import('@/views/rectify/ProblemRollup.vue'),
        meta: { title: '整改汇总', icon: 'Histogram' },
      },
    ],
  },
  {
    path: 'analyses',
    redirect: '/analyses/list',
    meta: { title: '分析研判', icon: 'DataAnalysis' },
    children: [
      {
        path: 'list',
        name: 'analyses',
        component: () => import('@/views/analysis/AnalysisList.vue'),
        meta: { title: '研判报告', icon: 'Document' },
      },
      {
        path: ':id(\\d+)',
        name: 'analysis',
        component: () => import('@/views/analysis/AnalysisDetail.vue'),
        meta: { title: '研判报告详情', hidden: true, parent: 'analyses' },
      },
    ],
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
      {
        path: 'notify',
        name: 'notify-channels',
        component: () => import('@/views/notify/NotifyChannels.vue'),
        meta: { title: '通知渠道', icon: 'Promotion', roles: ['sysadmin', 'secretary', 'office'] },
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
    path: 'notices',
    name: 'notices',
    component: () => import('@/views/notice/NoticeList.vue'),
    meta: { title: '消息提醒', hidden: true },
  },
  /* The links of notices name the compliance page by this path. */
  {
    path: 'ledger/compliance',
    redirect: (to) => ({ path: '/assess/compliance', query: to.query }),
    meta: { hidden: true },
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
