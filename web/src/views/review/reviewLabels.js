/* The names and colours of the states of a submission (三审). */
export const REVIEW_STATES = {
  draft: { label: '草稿', type: 'info' },
  first: { label: '初审中', type: 'warning' },
  second: { label: '复审中', type: 'warning' },
  final: { label: '终审中', type: 'warning' },
  approved: { label: '已批准', type: 'success' },
  published: { label: '已发布', type: 'success' },
  returned: { label: '已退回', type: 'danger' },
  withdrawn: { label: '已撤回', type: 'info' },
}

/* The files a submission takes (the server checks their content). */
export const ATTACHMENT_ACCEPT = 'image/*,.pdf,.doc,.docx,.xls,.xlsx'

export const STAGE_LABELS = { first: '初审', second: '复审', final: '终审' }

export const ROLE_LABELS = { office: '办公室', leader: '班子成员（分管领导）', secretary: '书记（第一责任人）' }
