import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { AdminUser, AdminUsersResponse } from '@yuyue/contracts'
import { App, Popconfirm, Switch } from 'antd'
import { useI18n } from '../../app/i18n'
import { auditKeys } from '../audit/api'
import { statsKey } from '../overview/api'
import { setUserDisabled, userKeys } from './api'

/** 启用 ⇄ 禁用, after a confirmation; the row shows what the API answered, not a guess. */
export function UserStatusSwitch({ user, who }: { user: AdminUser; who: string }) {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const toggle = useMutation({
    mutationFn: (isDeleted: boolean) => setUserDisabled(user.id, isDeleted),
    onSuccess: (updated) => {
      queryClient.setQueriesData<AdminUsersResponse>({ queryKey: userKeys.all }, (page) =>
        page ? { ...page, items: page.items.map((item) => (item.id === updated.id ? updated : item)) } : page,
      )
      void queryClient.invalidateQueries({ queryKey: statsKey })
      void queryClient.invalidateQueries({ queryKey: auditKeys.all })
      void message.success(updated.isDeleted ? t.users.disabledDone(who) : t.users.enabledDone(who))
    },
    onError: (error) => void message.error(describeError(error)),
  })
  const enabled = !user.isDeleted

  return (
    <Popconfirm
      title={enabled ? t.users.confirmDisable(who) : t.users.confirmEnable(who)}
      okText={t.common.confirm}
      cancelText={t.common.cancel}
      okButtonProps={{ danger: enabled }}
      onConfirm={() => toggle.mutateAsync(enabled).catch(() => undefined)}
    >
      <Switch
        checked={enabled}
        loading={toggle.isPending}
        checkedChildren={t.users.enabled}
        unCheckedChildren={t.users.disabled}
        aria-label={t.users.toggleLabel(who)}
      />
    </Popconfirm>
  )
}
