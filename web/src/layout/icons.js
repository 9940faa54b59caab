/* The icons the menu may name in a route's meta.icon. */
import {
  Collection,
  DataAnalysis,
  Document,
  Flag,
  Histogram,
  HomeFilled,
  List,
  Lock,
  Notebook,
  Odometer,
  OfficeBuilding,
  Operation,
  Tickets,
  User,
} from '@element-plus/icons-vue'

export const menuIcons = {
  Collection,
  DataAnalysis,
  Document,
  Flag,
  Histogram,
  HomeFilled,
  List,
  Lock,
  Notebook,
  Odometer,
  OfficeBuilding,
  Operation,
  Tickets,
  User,
}
