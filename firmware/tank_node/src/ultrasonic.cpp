#include "ultrasonic.h"

#include <math.h>

#include <tankcore/reading_buffer.h>

#include "node_config.h"
#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "ultrasonic";

volatile uint32_t g_rise_us = 0;
volatile uint32_t g_fall_us = 0;
volatile bool g_echo_complete = false;
uint8_t g_echo_pin = 0;

}  // namespace

void IRAM_ATTR Ultrasonic::on_echo_change() {
  const uint32_t now = micros();
  if (digitalRead(g_echo_pin) == HIGH) {
    g_rise_us = now;
  } else if (g_rise_us != 0) {
    g_fall_us = now;
    g_echo_complete = true;
  }
}

Ultrasonic::Ultrasonic(uint8_t trigger_pin, uint8_t echo_pin, uint8_t pings)
    : trigger_pin_(trigger_pin), echo_pin_(echo_pin), pings_(pings), distances_(pings),
      echoes_(pings) {}

void Ultrasonic::setup() {
  pinMode(trigger_pin_, OUTPUT);
  digitalWrite(trigger_pin_, LOW);
  pinMode(echo_pin_, INPUT);
  g_echo_pin = echo_pin_;
  attachInterrupt(digitalPinToInterrupt(echo_pin_), on_echo_change, CHANGE);
}

void Ultrasonic::start_burst(double temperature_c) {
  if (busy()) return;
  temperature_c_ = temperature_c;
  distances_.reset();
  echoes_.reset();
  done_pings_ = 0;
  valid_pings_ = 0;
  trigger();
}

void Ultrasonic::trigger() {
  noInterrupts();
  g_rise_us = 0;
  g_fall_us = 0;
  g_echo_complete = false;
  interrupts();
  digitalWrite(trigger_pin_, HIGH);
  delayMicroseconds(10);  // the sensor's trigger pulse
  digitalWrite(trigger_pin_, LOW);
  ping_started_us_ = micros();
  state_ = State::kWaitEcho;
}

void Ultrasonic::finish_ping(bool echoed, uint32_t echo_us) {
  ++done_pings_;
  if (echoed) {
    const double distance = isnan(temperature_c_) ? tankcore::compensate(echo_us)
                                                  : tankcore::compensate(echo_us, temperature_c_);
    if (distances_.push(distance)) {
      echoes_.push(echo_us);
      ++valid_pings_;
    }
  }
  if (done_pings_ >= pings_) {
    finish_burst();
    return;
  }
  spacing_started_ms_ = millis();
  state_ = State::kSpacing;
}

void Ultrasonic::finish_burst() {
  double distance = 0;
  double echo = 0;
  if (distances_.value(&distance) && echoes_.value(&echo)) {
    result_.distance_mm = static_cast<int32_t>(lround(distance));
    result_.echo_us = static_cast<int32_t>(lround(echo));
  } else {
    result_.distance_mm = tankcore::kNoDistance;
    result_.echo_us = tankcore::kNoEcho;
  }
  result_.quality = static_cast<uint8_t>(valid_pings_ * 100 / pings_);
  TANK_LOGD(TAG, "burst: %ld mm, echo %ld us, quality %u%%", static_cast<long>(result_.distance_mm),
            static_cast<long>(result_.echo_us), result_.quality);
  state_ = State::kIdle;
}

bool Ultrasonic::loop() {
  switch (state_) {
    case State::kIdle:
      return false;
    case State::kWaitEcho: {
      if (g_echo_complete) {
        noInterrupts();
        const uint32_t echo_us = g_fall_us - g_rise_us;
        interrupts();
        finish_ping(echo_us > 0 && echo_us < kEchoTimeoutUs, echo_us);
      } else if (micros() - ping_started_us_ > kEchoTimeoutUs + 1000) {
        finish_ping(false, 0);  // timeout: counted by the filter's quality, not sent as 0
      }
      return state_ == State::kIdle;
    }
    case State::kSpacing:
      if (millis() - spacing_started_ms_ >= kPingSpacingMs) trigger();
      return false;
  }
  return false;
}

void Ultrasonic::dump_config() const {
  TANK_LOGCONFIG(TAG, "Ultrasonic sensor:");
  TANK_LOGCONFIG(TAG, "  trigger pin: %u, echo pin: %u", trigger_pin_, echo_pin_);
  TANK_LOGCONFIG(TAG, "  pings per reading: %u, spacing %lu ms, timeout %lu us", pings_,
                 static_cast<unsigned long>(kPingSpacingMs),
                 static_cast<unsigned long>(kEchoTimeoutUs));
}

}  // namespace tanknode
