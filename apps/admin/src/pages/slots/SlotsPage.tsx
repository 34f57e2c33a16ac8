import { Col, Row, Typography } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../app/i18n'
import { CreateSlotsForm, type PickedDay } from './CreateSlotsForm'
import { SlotDayList } from './SlotDayList'

export default function SlotsPage() {
  const { t } = useI18n()
  const [day, setDay] = useState<PickedDay | null>(null)
  return (
    <>
      <Typography.Title level={3}>{t.slots.title}</Typography.Title>
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
