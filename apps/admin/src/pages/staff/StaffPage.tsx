import { Flex, Typography } from 'antd'
import { useI18n } from '../../app/i18n'
import { StaffImport } from './import/StaffImport'
import { StaffList } from './StaffList'

export default function StaffPage() {
  const { t } = useI18n()
  return (
    <>
      <Typography.Title level={3}>{t.staff.title}</Typography.Title>
      <Flex vertical gap="large">
        <StaffImport />
        <StaffList />
      </Flex>
    </>
  )
}
