import { useQuery } from '@tanstack/react-query'
import { Alert, Col, Row, Typography } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../app/i18n'
import { fetchSettings, settingsKey } from '../settings/api'
import { CreateSlotsForm, type PickedDay } from './CreateSlotsForm'
import { SlotDayList } from './SlotDayList'

export default function SlotsPage() {
  const { t } = useI18n()
  const [day, setDay] = useState<PickedDay | null>(null)
  const settings = useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => fetchSettings(signal) })
  return (
    <>
      <Typography.Title level={3}>{t.slots.title}</Typography.Title>
      {settings.data && (
        <Alert
          type="info"
          showIcon
          title={t.slots.window(settings.data.bookingWindowDays)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={9}>
          <CreateSlotsForm onCreated={setDay} />
        </Col>
        <Col xs={24} xl={15}>
          <SlotDayList day={day} onDayChange={setDay} />
        </Col>
      </Row>
    </>
  )
}
