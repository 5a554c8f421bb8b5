"""A small DTS-shaped framework: a netns + veth testbed and test suites."""
