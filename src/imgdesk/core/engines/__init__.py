"""Engines turn an EditPlan into result images: OpenAI over the network, or OpenCV offline."""
