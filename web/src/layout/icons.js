/* The icons the menu may name in a route's meta.icon. */
import {
  Flag,
  HomeFilled,
  Lock,
  OfficeBuilding,
  Operation,
  Tickets,
  User,
} from '@element-plus/icons-vue'

export const menuIcons = { Flag, HomeFilled, Lock, OfficeBuilding, Operation, Tickets, User }
